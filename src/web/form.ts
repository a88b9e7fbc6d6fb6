import { ApiError } from './api';
import { el } from './dom';

type Attributes = Record<string, string | boolean>;

/** A labelled input with the place its own error is shown, tied to it by aria-describedby. */
export interface Field {
  root: HTMLElement;
  input: HTMLInputElement;
  error: HTMLElement;
}

export function field(id: string, label: string, attributes: Attributes): Field {
  const error = el('span', { class: 'field-error', id: `${id}-error` });
  const input = el('input', { id, name: id, 'aria-describedby': `${id}-error`, ...attributes });
  return { root: el('p', { class: 'field' }, el('label', { for: id }, label), input, error), input, error };
}

/**
 * What a form shows of a failure: the message under the form, in its alert, and each field's own problem next to it
 * (the API's `details`, keyed by the request's field names).
 */
export class FormFeedback {
  readonly alert = el('p', { class: 'error', role: 'alert' });

  constructor(private readonly fields: Record<string, Field> = {}) {}

  clear(): void {
    this.alert.textContent = '';
    for (const { input, error } of Object.values(this.fields)) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
  }

  /**
   * A problem said beside its field is said once: the alert stays empty and focus goes to the first such field,
   * whose description (the problem) a screen reader then reads.
   */
  show(failure: unknown): void {
    this.clear();
    const marked: HTMLInputElement[] = [];
    if (failure instanceof ApiError) {
      for (const detail of failure.body.details ?? []) {
        const at = this.fields[detail.field];
        if (!at || at.error.textContent) continue;
        this.mark(at, `${detail.field[0]?.toUpperCase() ?? ''}${detail.field.slice(1)} ${detail.message}.`);
        marked.push(at.input);
      }
    }
    if (marked[0]) marked[0].focus();
    else this.alert.textContent = failure instanceof Error ? failure.message : String(failure);
  }

  /** A problem the page finds itself, before asking the server. */
  fieldProblem(field: Field, text: string): void {
    this.clear();
    this.mark(field, text);
    field.input.focus();
  }

  private mark(field: Field, text: string): void {
    field.error.textContent = text;
    field.input.setAttribute('aria-invalid', 'true');
  }
}

/** Runs a form's submission with its submit button disabled, so a second press sends nothing twice. */
export function onSubmit(form: HTMLFormElement, feedback: FormFeedback, act: () => Promise<void>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    feedback.clear();
    act()
      .catch((failure: unknown) => feedback.show(failure))
      .finally(() => {
        for (const button of buttons) button.disabled = false;
      });
  });
}
