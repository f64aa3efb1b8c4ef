import { useEffect, useState } from "preact/hooks";

/**
 * A hook giving the current time, updated every `periodMs` for every subscriber from one
 * timer, which runs only while something on the page subscribes.
 */
export function ticker(periodMs: number): () => number {
  const listeners = new Set<(now: number) => void>();
  let timer: ReturnType<typeof setInterval> | null = null;
  return function useTick(): number {
    const [now, setNow] = useState(Date.now);
    useEffect(() => {
      listeners.add(setNow);
      if (timer === null) {
        timer = setInterval(() => {
          const at = Date.now();
          listeners.forEach((listener) => listener(at));
        }, periodMs);
      }
      return () => {
        listeners.delete(setNow);
        if (listeners.size === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    }, []);
    return now;
  };
}
