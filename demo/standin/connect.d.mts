/** What the stand-in does with the next authorize request. */
export interface Control {
  outcome: string | Record<string, string>;
  coop?: boolean;
  coopAt?: number;
  holdMs?: number;
  delayMs?: number;
}
export function startConnect(options?: { host?: string; port?: number }): Promise<{
  origin: string;
  requests: Record<string, string>[];
  next(control: Control): void;
  close(): Promise<void>;
}>;
