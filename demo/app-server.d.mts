export function startApp(options?: {
  host?: string;
  port?: number;
  connectOrigin?: string;
  frameOrigin?: string;
}): Promise<{ origin: string; close(): Promise<void> }>;
