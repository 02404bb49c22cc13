/** Go reference-time layouts ("2006-01-02T15:04:05Z07:00"): tokenizer and formatter. */
import { civilOf } from './go-civil.ts';
import type { Zone } from './go-civil.ts';

export type Std =
  | 'Jan' | 'January' | '1' | '01' | 'Mon' | 'Monday' | '2' | '_2' | '02' | '__2' | '002'
  | '15' | '3' | '03' | '4' | '04' | '5' | '05' | '2006' | '06' | 'PM' | 'pm' | 'MST'
  | 'Z0700' | 'Z070000' | 'Z07' | 'Z07:00' | 'Z07:00:00' | '-0700' | '-070000' | '-07' | '-07:00' | '-07:00:00'
  | 'frac0' | 'frac9';

export interface Chunk {
  prefix: string;
  std?: Std;
  /** Digits of a fractional-second token; `sep` is "." or ",". */
  digits?: number;
  sep?: string;
  /** The layout text of the token (for error messages). */
  text?: string;
  suffix: string;
}

export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
};

const ORDERED: Std[] = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '002', '01', '02', '03', '04', '05', '06', '15', '1', '2006', '2',
  '__2', '_2', '3', '4', '5', 'PM', 'pm',
  '-07:00:00', '-070000', '-07:00', '-0700', '-07', 'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
];

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Go's nextStdChunk: splits off the text before the next token. */
export function nextChunk(layout: string): Chunk {
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    if (c === '.' || c === ',') {
      const d = layout[i + 1];
      if (d === '0' || d === '9') {
        let j = i + 1;
        while (layout[j] === d) j++;
        if (!isDigit(layout[j])) {
          return { prefix: layout.slice(0, i), std: d === '0' ? 'frac0' : 'frac9', digits: j - i - 1, sep: c, text: layout.slice(i, j), suffix: layout.slice(j) };
        }
      }
      continue;
    }
    for (const std of ORDERED) {
      if (!layout.startsWith(std, i)) continue;
      // Go's special cases: "Jan"/"Mon" need the full word check; "_2006" is "_" then a year.
      if (std === '__2' || std === '_2') {
        if (layout.startsWith('_2006', i)) return { prefix: layout.slice(0, i + 1), std: '2006', text: '2006', suffix: layout.slice(i + 5) };
      }
      if (std === '1' && layout.startsWith('15', i)) continue;
      return { prefix: layout.slice(0, i), std, text: std, suffix: layout.slice(i + std.length) };
    }
  }
  return { prefix: layout, suffix: '' };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export { MONTHS, DAYS };

const pad = (n: number, w: number): string => (n < 0 ? '-' + String(-n).padStart(w, '0') : String(n).padStart(w, '0'));

function zoneText(std: Std, off: number): string {
  if (std.startsWith('Z') && off === 0) return 'Z';
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  switch (std.slice(1)) {
    case '07':
      return sign + hh;
    case '0700':
      return sign + hh + mm;
    case '070000':
      return sign + hh + mm + ss;
    case '07:00':
      return `${sign}${hh}:${mm}`;
    default:
      return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** Go's Time.Format. */
export function formatTime(ns: bigint, zone: Zone, layout: string): string {
  const off = zone.offsetAt(ns);
  const t = civilOf(ns, off);
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const ch = nextChunk(rest);
    out += ch.prefix;
    rest = ch.suffix;
    if (!ch.std) break;
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    switch (ch.std) {
      case '2006': out += pad(t.year, 4); break;
      case '06': out += pad(((t.year % 100) + 100) % 100, 2); break;
      case 'January': out += MONTHS[t.month - 1]; break;
      case 'Jan': out += MONTHS[t.month - 1].slice(0, 3); break;
      case '1': out += String(t.month); break;
      case '01': out += pad(t.month, 2); break;
      case 'Monday': out += DAYS[t.weekday]; break;
      case 'Mon': out += DAYS[t.weekday].slice(0, 3); break;
      case '2': out += String(t.day); break;
      case '_2': out += String(t.day).padStart(2, ' '); break;
      case '02': out += pad(t.day, 2); break;
      case '__2': out += String(t.yday).padStart(3, ' '); break;
      case '002': out += pad(t.yday, 3); break;
      case '15': out += pad(t.hour, 2); break;
      case '3': out += String(h12); break;
      case '03': out += pad(h12, 2); break;
      case '4': out += String(t.minute); break;
      case '04': out += pad(t.minute, 2); break;
      case '5': out += String(t.second); break;
      case '05': out += pad(t.second, 2); break;
      case 'PM': out += t.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += t.hour >= 12 ? 'pm' : 'am'; break;
      case 'MST': out += zone.abbrevAt(ns); break;
      case 'frac0': out += ch.sep + String(t.nsec).padStart(9, '0').slice(0, ch.digits); break;
      case 'frac9': {
        const f = String(t.nsec).padStart(9, '0').slice(0, ch.digits).replace(/0+$/, '');
        if (f !== '') out += ch.sep + f;
        break;
      }
      default: out += zoneText(ch.std, off);
    }
  }
  return out;
}
