// The wall's fences: the list from GET /api/fences, the one being drawn (the pure machine of fence-draft.ts)
// and the one being edited; creating, changing and deleting go through the REST API and reload the list.
import type { Fence, FenceInput, FenceShape, UnitKind } from '../../../server/contract';
import { t } from '../i18n/i18n.svelte';
import { apiGet, apiSend } from '../net/api';
import { focus } from '../state/focus.svelte';
import { session } from '../state/session.svelte';
import {
  CORRIDOR_WIDTH_METERS,
  startDraft,
  stepDraft,
  type DraftInput,
  type FenceDraft,
  type FenceTool,
} from './fence-draft';

/** What the operator sets for a new fence or changes on an existing one. */
export interface FenceForm {
  name: string;
  severity: Fence['severity'];
  kinds: UnitKind[];
}

/** Other operators' fences show up within this long. */
const RELOAD_MS = 30_000;

class FenceEditor {
  fences = $state.raw<Fence[]>([]);
  draft = $state.raw<FenceDraft | null>(null);
  /** The fence whose form is open. */
  selectedId = $state<string | null>(null);
  form = $state<FenceForm>({ name: '', severity: 'warning', kinds: [] });
  widthMeters = $state<number>(CORRIDOR_WIDTH_METERS.default);
  busy = $state(false);
  error = $state<string | null>(null);
  #timer: ReturnType<typeof setInterval> | null = null;

  get canEdit(): boolean {
    const role = session.current?.user.role;
    return role === 'admin' || role === 'operator';
  }

  get selected(): Fence | null {
    return this.fences.find((fence) => fence.id === this.selectedId) ?? null;
  }

  /** Loads the list now and every RELOAD_MS until the returned function is called. */
  watch(): () => void {
    void this.load();
    this.#timer = setInterval(() => void this.load(), RELOAD_MS);
    return () => {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
    };
  }

  async load(): Promise<void> {
    try {
      this.fences = (await apiGet<{ items: Fence[] }>('/api/fences')).items;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  start(tool: FenceTool): void {
    // Clicks now draw: a popup over the map would swallow them.
    focus.select(null);
    this.selectedId = null;
    this.error = null;
    this.form = {
      name: t('mapFenceDefaultName', { n: this.fences.length + 1 }),
      severity: 'warning',
      kinds: [],
    };
    this.draft = startDraft(tool, this.widthMeters);
  }

  cancel(): void {
    this.draft = null;
  }

  /** Feeds the drawing; a completed shape is saved as a new fence with the form's name, severity and kinds. */
  input(input: DraftInput): void {
    if (!this.draft || this.busy) return;
    if (input.type === 'width') this.widthMeters = input.meters;
    const step = stepDraft(this.draft, input);
    this.draft = step.draft;
    if (step.shape) void this.create(step.shape);
  }

  async create(shape: FenceShape): Promise<void> {
    const body: Pick<FenceInput, 'name' | 'shape' | 'severity' | 'kinds'> = {
      name: this.form.name.trim() || t('mapFenceDefaultName', { n: this.fences.length + 1 }),
      shape,
      severity: this.form.severity,
      kinds: this.form.kinds,
    };
    await this.#run(async () => {
      const fence = await apiSend<Fence>('POST', '/api/fences', body);
      this.draft = null;
      this.fences = [...this.fences, fence];
    });
  }

  select(id: string | null): void {
    const fence = this.fences.find((f) => f.id === id);
    this.draft = null;
    this.error = null;
    this.selectedId = fence ? fence.id : null;
    if (fence) this.form = { name: fence.name, severity: fence.severity, kinds: [...fence.kinds] };
  }

  async save(): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    const patch = { name: this.form.name.trim(), severity: this.form.severity, kinds: this.form.kinds };
    await this.#run(async () => {
      const fence = await apiSend<Fence>('PATCH', `/api/fences/${encodeURIComponent(id)}`, patch);
      this.fences = this.fences.map((f) => (f.id === id ? fence : f));
    });
  }

  async remove(): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    await this.#run(async () => {
      await apiSend<undefined>('DELETE', `/api/fences/${encodeURIComponent(id)}`);
      this.fences = this.fences.filter((f) => f.id !== id);
      this.selectedId = null;
    });
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await action();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}

export const fenceEditor = new FenceEditor();
