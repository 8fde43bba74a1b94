import { describe, expect, it } from 'vitest';
import { isolationStep } from './isolation';

describe('isolationStep', () => {
  it('registers the service worker and reloads once where the host sends no isolation headers', () => {
    expect(isolationStep({ isolated: false, canRegister: true, reloaded: false })).toBe('register-and-reload');
  });
  it('does nothing on an isolated page, where it cannot register, or after the one reload', () => {
    expect(isolationStep({ isolated: true, canRegister: true, reloaded: false })).toBe('none');
    expect(isolationStep({ isolated: false, canRegister: false, reloaded: false })).toBe('none');
    expect(isolationStep({ isolated: false, canRegister: true, reloaded: true })).toBe('none');
  });
});
