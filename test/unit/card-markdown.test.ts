import { describe, expect, it } from '@jest/globals';
import { cardMarkdown } from '../../src/lib/cards.js';

describe('an announcement’s markdown on the card', () => {
  it('keeps paragraphs, lists and emphasis as typed', () => {
    expect(cardMarkdown('First **paragraph**.\r\n\r\n\r\n\r\nSecond:\r\n- item one  \r\n- _item two_\n')).toBe('First **paragraph**.\n\nSecond:\n- item one\n- _item two_');
  });

  it('keeps links to web and e-mail addresses; any other link and an embedded picture keep only their words', () => {
    expect(cardMarkdown('[Programme](https://example.org/p.pdf) · [Ask](mailto:cora@luovi.example)')).toBe('[Programme](https://example.org/p.pdf) · [Ask](mailto:cora@luovi.example)');
    expect(cardMarkdown('[Click](javascript:alert(1)) and [here](data:text/html,x) ![a map](https://example.org/m.png)')).toBe('Click) and here a map');
    // Taking one link apart must not leave another behind.
    expect(cardMarkdown('[[x](data:1)](javascript:alert)')).toBe('x');
  });
});
