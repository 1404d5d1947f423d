/**
 * Java `String.hashCode()`: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, wrapped to int32.
 * Used for ConsumeQueue tag codes (§7.3) and IndexFile key hashes (§7.4).
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
