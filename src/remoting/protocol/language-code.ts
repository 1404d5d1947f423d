// LanguageCode names in byte-code order (PROTOCOL.md §1.2/§1.3): index = the byte used by the binary header.
export const LANGUAGE_CODES = [
  'JAVA', 'CPP', 'DOTNET', 'PYTHON', 'DELPHI', 'ERLANG', 'RUBY', 'OTHER', 'HTTP', 'GO', 'PHP', 'OMS', 'RUST', 'NODE_JS',
] as const;
export type LanguageCode = (typeof LANGUAGE_CODES)[number];

export function languageFromByte(b: number): LanguageCode {
  return LANGUAGE_CODES[b] ?? 'OTHER';
}

export function languageToByte(l: string): number {
  const i = (LANGUAGE_CODES as readonly string[]).indexOf(l);
  return i < 0 ? 7 : i;
}

export function isLanguageCode(s: string): s is LanguageCode {
  return (LANGUAGE_CODES as readonly string[]).includes(s);
}
