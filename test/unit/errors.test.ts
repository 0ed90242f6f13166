import { describe, expect, it } from 'vitest';
import * as api from '../../src/index';
import { ConnectError, isConnectError } from '../../src/index';
import { ERROR_CLASS_NAMES } from '../fixtures/connect';

describe('error classes', () => {
  it.each(Object.entries(ERROR_CLASS_NAMES))('%s has the class %s with a literal name, its code and a default description', (code, name) => {
    const Class = api[name];
    const cause = new Error('underlying');
    const error = new Class('Described', { state: 'app-state', cause });
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.description).toBe('Described');
    expect(error.message).toBe('Described');
    expect(error.state).toBe('app-state');
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe(`${name}: Described`);
    expect(new Class().description.length).toBeGreaterThan(0);
    expect(isConnectError(error)).toBe(true);
  });

  it('sets only the fields it was given', () => {
    const error = new api.AccessDeniedError();
    expect(Object.keys(error).sort()).toEqual(['code', 'description', 'name']);
  });

  it('gives the package’s own errors an explanation by default', () => {
    expect(new api.PopupClosedError().description).toBe('Popup closed');
    expect(new api.TimeoutError().description).toBe('Timed out');
  });

  it('keeps a ConnectError subclassable by apps', () => {
    class AppError extends api.ConfigurationError {}
    const error = new AppError('x', { statusCode: 418 });
    expect(error).toBeInstanceOf(api.ConfigurationError);
    expect(error.statusCode).toBe(418);
    expect(isConnectError(error)).toBe(true);
  });
});

describe('isConnectError', () => {
  it.each([null, undefined, 'configuration_error', 42, {}, new Error('x'), { code: 'access_denied', name: 'AccessDeniedError' }])(
    'is false for %s',
    (value) => {
      expect(isConnectError(value)).toBe(false);
    },
  );
});
