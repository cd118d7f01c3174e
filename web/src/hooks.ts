/** Data from the API, read again every so often while the page shows it. */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly reload: () => void;
}

export function usePoll<T>(load: () => Promise<T>, keys: readonly unknown[], everyMs = 0): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    load().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      },
      (e: unknown) => {
        if (mine === generation.current) setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
  }, keys);
  useEffect(() => {
    setData(undefined);
    run();
    if (everyMs <= 0) return undefined;
    const timer = setInterval(run, everyMs);
    return () => {
      clearInterval(timer);
      generation.current++;
    };
  }, [run, everyMs]);
  return { data, error, reload: run };
}
