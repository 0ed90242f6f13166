import type { Browser } from 'playwright-core';

export const CHROMIUM: string;
export const HAS_CHROMIUM: boolean;
export function launchChromium(): Promise<Browser>;
