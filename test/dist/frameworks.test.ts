import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString as renderVue } from 'vue/server-renderer';

type ReactEntry = typeof import('../../src/react');
type VueEntry = typeof import('../../src/vue');
const require = createRequire(import.meta.url);
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url);
const OPTIONS = { clientId: 'app-id', redirectUri: 'https://app.example/cb' };

describe('the framework entries, built, in Node without a DOM (server-side rendering)', () => {
  it('load as ESM and CommonJS without a browser global, using the main entry rather than a copy of it', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    for (const name of ['react', 'vue']) {
      const esm = (await import(dist(`${name}.mjs`).href)) as ReactEntry;
      const cjs = require(`../../dist/${name}.cjs`) as ReactEntry;
      expect(typeof esm.useConnect).toBe('function');
      expect(typeof cjs.useConnect).toBe('function');
      for (const [file, main] of [[`${name}.mjs`, './index.mjs'], [`${name}.cjs`, './index.cjs']]) {
        const local = [...readFileSync(dist(file), 'utf8').matchAll(/(?:from |require\()'(\.[^']*)'/g)].map((m) => m[1]);
        expect(local).toEqual([main]);
      }
    }
  });

  it('renders a React component on the server; popup() there rejects with a clear error', async () => {
    const { useConnect } = (await import(dist('react.mjs').href)) as ReactEntry;
    let popup!: ReturnType<ReactEntry['useConnect']>['popup'];
    function Button() {
      const c = useConnect(OPTIONS);
      popup = c.popup;
      return createElement('button', { 'aria-busy': c.status === 'pending' }, `Connect your car (${c.status})`);
    }
    expect(renderToString(createElement(Button))).toContain('Connect your car (idle)');
    await expect(popup()).rejects.toMatchObject({ name: 'InvalidStateError', message: expect.stringContaining('mounted in a browser') as unknown });
  });

  it('renders a Vue component on the server; popup() there rejects with a clear error', async () => {
    const { useConnect } = (await import(dist('vue.mjs').href)) as VueEntry;
    let popup!: ReturnType<VueEntry['useConnect']>['popup'];
    const Button = defineComponent({
      setup() {
        const c = useConnect(OPTIONS);
        popup = c.popup;
        return () => h('button', `Connect your car (${c.status.value})`);
      },
    });
    expect(await renderVue(createSSRApp(Button))).toContain('Connect your car (idle)');
    await expect(popup()).rejects.toMatchObject({ name: 'InvalidStateError' });
  });
});
