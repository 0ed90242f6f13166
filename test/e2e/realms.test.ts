import { describe, expect, it } from 'vitest';
import { CONFIGURATION_DESCRIPTION, CONFIGURATION_ERROR_URL, TEST_VIN_MESSAGE } from '../fixtures/connect';
import { HAS_CHROMIUM, openApp, useStack } from './stack';

type Api = typeof import('../../src/index');

describe.skipIf(!HAS_CHROMIUM)('the built SDK in Chromium, outside a flow', () => {
  const stack = useStack();

  it.each(['iife', 'esm'] as const)('parses the docs’ configuration_error URL (%s build)', async (build) => {
    const { page, context } = await openApp(stack, build);
    const parsed = await page.evaluate((url) => {
      const api = (window as unknown as { SmartcarConnect: Api }).SmartcarConnect;
      const r = api.parseConnectResponse(url);
      return r.ok ? null : { ...r.error, name: r.error.name, code: r.error.code, description: r.error.description };
    }, CONFIGURATION_ERROR_URL);
    expect(parsed).toMatchObject({
      name: 'ConfigurationError',
      code: 'configuration_error',
      statusCode: 400,
      errorMessage: TEST_VIN_MESSAGE,
      description: CONFIGURATION_DESCRIPTION,
    });
    await context.close();
  });
});
