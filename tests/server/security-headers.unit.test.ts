// The CSP built from the basemap config: only 'self' by default, configured tile origins added, and a
// third-party style opening https: for the hosts its style names.
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, originsIn } from '../../server/security/headers';

const directive = (csp: string, name: string): string =>
  csp.split('; ').find((part) => part.startsWith(`${name} `)) ?? '';

describe('content security policy', () => {
  it("allows only 'self' with the built-in basemap", () => {
    const csp = contentSecurityPolicy({ kind: 'builtin', gcj02Display: false });
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self'");
    expect(directive(csp, 'worker-src')).toBe("worker-src 'self' blob:");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('adds the origins of configured raster tiles, nothing else', () => {
    const basemap = {
      kind: 'raster',
      tiles: ['https://tiles.example.cn/{z}/{x}/{y}.png', 'https://tiles.example.cn:8443/{z}/{x}/{y}.png'],
      labelTiles: ['/local/{z}/{x}/{y}.png'],
      attribution: 'x',
      gcj02Display: true,
    };
    expect(originsIn(basemap)).toEqual(['https://tiles.example.cn', 'https://tiles.example.cn:8443']);
    const csp = contentSecurityPolicy(basemap);
    expect(directive(csp, 'img-src')).toBe(
      "img-src 'self' data: blob: https://tiles.example.cn https://tiles.example.cn:8443",
    );
    expect(directive(csp, 'connect-src').split(' ')).not.toContain('https:');
  });

  it('opens https: for a remote style, not for a local one', () => {
    expect(
      directive(
        contentSecurityPolicy({ kind: 'style', url: 'https://maps.example.org/style.json' }),
        'connect-src',
      ),
    ).toBe("connect-src 'self' https://maps.example.org https:");
    expect(
      directive(contentSecurityPolicy({ kind: 'style', url: '/styles/local.json' }), 'connect-src'),
    ).toBe("connect-src 'self'");
  });
});
