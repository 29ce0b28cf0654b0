import extract from 'png-chunks-extract';
import encode from 'png-chunks-encode';

/**
 * Baking: the credential travels inside the image. PNG: one iTXt chunk (uncompressed UTF-8) before IEND with the
 * keyword `openbadgecredential` (Open Badges 3.0) or `openbadges` (2.0); an older chunk with that keyword is replaced.
 * SVG: an <openbadges:credential> element with the JSON in CDATA.
 */
export function bakePng(png: Uint8Array, text: string, keyword = 'openbadgecredential'): Buffer {
  const chunks = extract(png).filter((c) => !(c.name === 'iTXt' && readITxt(c.data)?.keyword === keyword));
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0]), Buffer.from([0]), Buffer.from([0]), Buffer.from(text, 'utf8')]);
  const end = chunks.findIndex((c) => c.name === 'IEND');
  chunks.splice(end, 0, { name: 'iTXt', data });
  return Buffer.from(encode(chunks));
}

/** The text of the first iTXt chunk with the keyword (uncompressed), or null. */
export function unbakePng(png: Uint8Array, keyword = 'openbadgecredential'): string | null {
  for (const c of extract(png)) {
    if (c.name !== 'iTXt') continue;
    const t = readITxt(c.data);
    if (t?.keyword === keyword) return t.text;
  }
  return null;
}

function readITxt(data: Uint8Array): { keyword: string; text: string } | null {
  const buf = Buffer.from(data);
  const k = buf.indexOf(0);
  if (k < 0) return null;
  const keyword = buf.subarray(0, k).toString('latin1');
  const compressed = buf[k + 1];
  if (compressed !== 0) return { keyword, text: '' };
  const lang = buf.indexOf(0, k + 3);
  const translated = buf.indexOf(0, lang + 1);
  if (lang < 0 || translated < 0) return null;
  return { keyword, text: buf.subarray(translated + 1).toString('utf8') };
}

export function bakeSvg(svg: string, json: string): string {
  const withNs = svg.replace(/<svg\b([^>]*)>/, (whole, attrs: string) => (attrs.includes('xmlns:openbadges') ? whole : `<svg${attrs} xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">`));
  const cleaned = withNs.replace(/<openbadges:credential[\s\S]*?<\/openbadges:credential>/g, '');
  return cleaned.replace(/<svg\b[^>]*>/, (open) => `${open}<openbadges:credential><![CDATA[${json.replaceAll(']]>', ']]]]><![CDATA[>')}]]></openbadges:credential>`);
}

export function unbakeSvg(svg: string): string | null {
  const m = /<openbadges:credential(?:\s[^>]*)?>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/openbadges:credential>/.exec(svg);
  return m ? m[1]!.trim() : null;
}
