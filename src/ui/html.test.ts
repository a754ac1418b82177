import { describe, expect, it } from 'vitest';

import { escapeHtml, html, trustedHtml } from './html.js';

// Prettier formats `html` templates as HTML; these must stay byte for byte as written.
describe('html', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['" onmouseover="x', '&quot; onmouseover=&quot;x'],
    ["' autofocus '", '&#39; autofocus &#39;'],
    ['a & b', 'a &amp; b'],
    ['`x`', '&#96;x&#96;'],
    ['198.51.100.23', '198.51.100.23'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeHtml(text)).toBe(escaped);
    // prettier-ignore
    const cell = html`<td title="${text}">${text}</td>`;
    expect(cell.toString()).toBe(`<td title="${escaped}">${escaped}</td>`);
  });

  it('joins arrays, drops null, undefined and false, keeps nested SafeHtml', () => {
    // prettier-ignore
    const rows = ['<a>', 'b'].map((value) => html`<li>${value}</li>`);
    // prettier-ignore
    const list = html`<ul>${rows}${null}${undefined}${false}${0}</ul>`;
    expect(list.toString()).toBe('<ul><li>&lt;a&gt;</li><li>b</li>0</ul>');
    expect(html`${trustedHtml('<!doctype html>')}`.toString()).toBe('<!doctype html>');
  });
});
