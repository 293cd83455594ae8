// Client entry: mounts the app.
import { mount } from 'svelte';
import App from './App.svelte';
import './lib/ui/global.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
export default mount(App, { target });
