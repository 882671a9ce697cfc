import { describe, expect, it } from 'vitest';
import { StudioApiError } from '../../src/contract/index.js';
import { deployErrorField, joinPath, rememberToken, rememberedToken, splitPath } from '../../renderer/features/bundle/bundle-model.js';

describe('bundle dialogs model', () => {
  it('splits and joins bundle paths on either separator', () => {
    expect(splitPath('/home/ann/work/shop-1.trellis')).toEqual({ dir: '/home/ann/work', name: 'shop-1.trellis', sep: '/' });
    expect(splitPath('C:\\work\\shop.trellis')).toEqual({ dir: 'C:\\work', name: 'shop.trellis', sep: '\\' });
    expect(splitPath('/shop.trellis').dir).toBe('/');
    expect(joinPath('/', 'a.trellis')).toBe('/a.trellis');
    expect(joinPath('C:\\work', 'a.trellis', '\\')).toBe('C:\\work\\a.trellis');
  });

  it('sends each deploy error to the field that fixes it', () => {
    const error = (code: string) => new StudioApiError({ code, message: code });
    expect(deployErrorField(error('UNAUTHORIZED'))).toBe('token');
    for (const code of ['CONNECTION_REFUSED', 'DNS', 'TIMEOUT', 'NOT_FOUND', 'INVALID_CONFIG', 'BAD_RESPONSE']) expect(deployErrorField(error(code))).toBe('url');
    expect(deployErrorField(error('INVALID_BUNDLE'))).toBeNull();
    expect(deployErrorField(new Error('x'))).toBeNull();
  });

  it('remembers tokens per server URL in memory only', () => {
    expect(rememberedToken('http://a:1')).toBe('');
    rememberToken(' http://a:1 ', 'secret');
    expect(rememberedToken('http://a:1')).toBe('secret');
    expect(rememberedToken('http://b:1')).toBe('');
  });
});
