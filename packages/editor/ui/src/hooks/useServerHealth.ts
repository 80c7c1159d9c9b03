/**
 * Whether the editor's server is reachable: polled every few seconds, and
 * set at once when a request finds it gone. Edits stay in the page meanwhile.
 */
import { useEffect, useState } from "react";
import type { EditorApi } from "../api-client";

/** How often the server is asked whether it is there, in ms. */
export const HEALTH_POLL_MS = 4000;

/** The server's reachability (`offline`), and a setter for requests that find it gone. */
export function useServerHealth(api: EditorApi, enabled: boolean): { offline: boolean; setOffline(offline: boolean): void } {
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    const t = setInterval(async () => setOffline(!(await api.health())), HEALTH_POLL_MS);
    return () => clearInterval(t);
  }, [api, enabled]);
  return { offline, setOffline };
}
