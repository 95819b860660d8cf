// One way every form shows its mistakes (issue 13): nothing is shouted while a person is still
// typing a fresh form; the first submit checks everything, and from then on each field's message
// follows what is typed, under its field, and the focus goes to the first field with a problem.
// A few checks are worth saying at once, before any submit (a name that is already taken): those
// are "live" issues. The forms keep their own rules (mostly the core's); this class only decides
// when a message shows and where the focus goes.
import { tick } from 'svelte';

export { required, takenUnits, unitClash, watchClash } from './form-rules';

type Maybe = string | null | undefined | false;

function words(list: readonly Maybe[]): string[] {
  return list.filter((x): x is string => typeof x === 'string' && x !== '');
}

export class FormChecks {
  #submitted = $state(false);

  /** True once the form was submitted: every issue shows, and follows what is typed. */
  get submitted(): boolean {
    return this.#submitted;
  }

  /** The messages a field shows now: `live` ones at once, the rest once the form was submitted. */
  shown(issues: readonly Maybe[], live: readonly Maybe[] = []): string[] {
    const now = words(live);
    return this.#submitted ? [...now, ...words(issues).filter((i) => !now.includes(i))] : now;
  }

  /**
   * A submit: from now on every issue shows. With no problem (`ok`) it says true; otherwise the
   * first field marked invalid inside `within` (default: the page) gets the focus.
   */
  async submit(ok: boolean, within?: ParentNode | null): Promise<boolean> {
    this.#submitted = true;
    if (ok) return true;
    await focusFirstProblem(within);
    return false;
  }

  /** A fresh form again (after a create): quiet until the next submit. */
  reset(): void {
    this.#submitted = false;
  }
}

/** Moves the focus to the first field marked aria-invalid, after the page has updated. */
export async function focusFirstProblem(within?: ParentNode | null): Promise<void> {
  await tick();
  (within ?? document).querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
