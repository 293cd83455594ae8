// "Now" for countdowns and ages: reading ticker.now in a template re-renders it once a second, and only
// while something on screen reads it.
import { createSubscriber } from 'svelte/reactivity';

class Ticker {
  readonly #subscribe = createSubscriber((update) => {
    const timer = setInterval(update, 1000);
    return () => clearInterval(timer);
  });

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const ticker = new Ticker();
