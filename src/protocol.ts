/** The wire message the callback page sends the app: the redirect's raw query, parsed only by the app. */
export interface ResponseMessage {
  type: 'smartcar-connect:response';
  version: 1;
  search: string;
}

export const MESSAGE_TYPE = 'smartcar-connect:response';

/** The BroadcastChannel that carries a response when the popup has lost its opener. */
export const CHANNEL = 'smartcar-connect';

export const responseMessage = (search: string): ResponseMessage => ({ type: MESSAGE_TYPE, version: 1, search });

/** The query string of a message of ours, or undefined for anything else. */
export function readMessage(data: unknown): string | undefined {
  const m = data as ResponseMessage | null;
  return typeof m === 'object' && m && m.type === MESSAGE_TYPE && m.version === 1 && typeof m.search === 'string'
    ? m.search
    : undefined;
}
