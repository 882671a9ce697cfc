/**
 * Small preferences (last folder, theme, panel sizes) kept between sessions in localStorage. Variable
 * values are remembered per transaction by the run panel (features/run-panel/run-model.ts).
 */
export function loadPreference<T>(name: string, fallback: T): T {
  try {
    const text = window.localStorage.getItem(`trellis.pref:${name}`);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

export function savePreference(name: string, value: unknown): void {
  try {
    if (value === undefined || value === null) window.localStorage.removeItem(`trellis.pref:${name}`);
    else window.localStorage.setItem(`trellis.pref:${name}`, JSON.stringify(value));
  } catch {}
}
