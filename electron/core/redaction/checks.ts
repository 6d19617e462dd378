/**
 * Structural checks for mainland-Chinese personal numbers: operator prefixes for mobiles, area
 * codes for landlines, GB 11643-1999 (ISO 7064 MOD 11-2) for resident IDs, Luhn for bank cards.
 * All functions take plain ASCII digit strings (the recogniser strips separators first).
 */

// ---------------------------------------------------------------- mobile

/**
 * Three-digit mobile prefixes allocated to CMCC, CUCC, CTCC, China Broadnet and virtual operators
 * (MIIT numbering plan). 140/141/144/146/148 are 13-digit IoT ranges and 154/194 are unallocated.
 */
export const MOBILE_PREFIX = /^1(?:3\d|4[579]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}$/;

export function isMobile(digits: string): boolean {
  return MOBILE_PREFIX.test(digits);
}

// ---------------------------------------------------------------- landline

/** Three-digit area codes (the large cities: 8-digit subscriber numbers). */
export const AREA_CODES_3 = new Set(['010', '020', '021', '022', '023', '024', '025', '027', '028', '029']);

/** Four-digit area codes, by province (the leading 0 included). */
const AREA_CODES_4_LIST = [
  // Hebei
  '0310 0311 0312 0313 0314 0315 0316 0317 0318 0319 0335',
  // Shanxi
  '0349 0350 0351 0352 0353 0354 0355 0356 0357 0358 0359',
  // Henan
  '0370 0371 0372 0373 0374 0375 0376 0377 0378 0379 0391 0392 0393 0394 0395 0396 0398',
  // Liaoning
  '0410 0411 0412 0413 0414 0415 0416 0417 0418 0419 0421 0427 0429',
  // Jilin
  '0431 0432 0433 0434 0435 0436 0437 0438 0439',
  // Heilongjiang
  '0451 0452 0453 0454 0455 0456 0457 0458 0459 0464 0467 0468 0469',
  // Inner Mongolia
  '0470 0471 0472 0473 0474 0475 0476 0477 0478 0479 0482 0483',
  // Jiangsu
  '0510 0511 0512 0513 0514 0515 0516 0517 0518 0519 0523 0527',
  // Shandong
  '0530 0531 0532 0533 0534 0535 0536 0537 0538 0539 0543 0546 0631 0632 0633 0634 0635',
  // Anhui
  '0550 0551 0552 0553 0554 0555 0556 0557 0558 0559 0561 0562 0563 0564 0565 0566',
  // Zhejiang
  '0570 0571 0572 0573 0574 0575 0576 0577 0578 0579 0580',
  // Fujian
  '0591 0592 0593 0594 0595 0596 0597 0598 0599',
  // Guangdong
  '0660 0662 0663 0668 0750 0751 0752 0753 0754 0755 0756 0757 0758 0759 0760 0762 0763 0766 0768 0769',
  // Jiangxi
  '0701 0790 0791 0792 0793 0794 0795 0796 0797 0798 0799',
  // Hubei
  '0710 0711 0712 0713 0714 0715 0716 0717 0718 0719 0722 0724 0728',
  // Hunan
  '0730 0731 0732 0733 0734 0735 0736 0737 0738 0739 0743 0744 0745 0746',
  // Guangxi
  '0770 0771 0772 0773 0774 0775 0776 0777 0778 0779',
  // Sichuan
  '0812 0813 0816 0817 0818 0825 0826 0827 0830 0831 0832 0833 0834 0835 0836 0837 0838 0839',
  // Guizhou
  '0851 0852 0853 0854 0855 0856 0857 0858 0859',
  // Yunnan
  '0691 0692 0870 0871 0872 0873 0874 0875 0876 0877 0878 0879 0883 0886 0887 0888',
  // Tibet, Hainan
  '0891 0892 0893 0894 0895 0896 0897 0898',
  // Shaanxi
  '0911 0912 0913 0914 0915 0916 0917 0919',
  // Gansu
  '0930 0931 0932 0933 0934 0935 0936 0937 0938 0939 0941 0943',
  // Ningxia, Qinghai
  '0951 0952 0953 0954 0955 0970 0971 0972 0973 0974 0975 0976 0977',
  // Xinjiang
  '0901 0902 0903 0906 0908 0909 0990 0991 0992 0993 0994 0995 0996 0997 0998 0999',
];
export const AREA_CODES_4 = new Set(AREA_CODES_4_LIST.join(' ').split(' '));

export interface LandlineParts {
  areaCode: string;
  subscriber: string;
  /** False when the area code only has the right shape (0[3-9]xx) but is not in the list. */
  knownArea: boolean;
}

/**
 * Splits `0AA(A)SSSSSSS(S)` into area code and subscriber number. Big cities (3-digit codes) have
 * 8-digit subscriber numbers, the rest 7 or 8; subscriber numbers never start with 0 or 1.
 * `groupHint` is the length of the first digit group when the number was written with separators.
 */
export function parseLandline(digits: string, groupHint?: number): LandlineParts | null {
  if (!/^0\d{9,11}$/.test(digits)) return null;
  const tryCode = (len: 3 | 4, known: boolean): LandlineParts | null => {
    if (groupHint !== undefined && groupHint !== len) return null;
    const areaCode = digits.slice(0, len);
    const subscriber = digits.slice(len);
    if (!/^[2-9]/.test(subscriber)) return null;
    if (len === 3 && subscriber.length !== 8) return null;
    if (len === 4 && subscriber.length !== 7 && subscriber.length !== 8) return null;
    return { areaCode, subscriber, knownArea: known };
  };
  if (AREA_CODES_3.has(digits.slice(0, 3))) {
    const p = tryCode(3, true);
    if (p) return p;
  }
  if (AREA_CODES_4.has(digits.slice(0, 4))) {
    const p = tryCode(4, true);
    if (p) return p;
  }
  if (/^0[3-9]\d\d/.test(digits) && groupHint === 4) return tryCode(4, false);
  return null;
}

// ---------------------------------------------------------------- resident ID (GB 11643-1999)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Province-level codes that begin a resident ID (GB/T 2260; 71 Taiwan). 81/82/83 begin the residence
 * permits of Hong Kong, Macau and Taiwan residents (810000/820000/830000, same check digit).
 */
export const PROVINCE_CODES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '),
);

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

/** Why an 18-character string is not a resident ID, or null when it is one. */
export function residentIdProblem(id: string, maxBirthYear = new Date().getFullYear()): string | null {
  if (!/^\d{17}[\dXx]$/.test(id)) return 'shape';
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return 'province';
  if (id.slice(2, 4) === '00' && !/^8[123]0000/.test(id)) return 'region';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (y < 1900 || y > maxBirthYear || !isValidDate(y, m, d)) return 'birth date';
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]!.toUpperCase()) return 'check digit';
  return null;
}

export function isResidentId(id: string): boolean {
  return residentIdProblem(id) === null;
}

// ---------------------------------------------------------------- bank card (Luhn)

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let v = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

/** Luhn check digit to append to `partial`. */
export function luhnCheckDigit(partial: string): string {
  for (let c = 0; c <= 9; c++) if (luhnValid(partial + c)) return String(c);
  throw new Error('unreachable');
}

export type CardNetwork = 'unionpay' | 'visa' | 'mastercard' | 'amex' | 'jcb' | 'diners' | 'domestic';

/**
 * Issuer network from the IIN prefix and length, or null when no network issues such a number.
 * `prior` is how likely a number of that shape is a card when nothing around it says so.
 */
export function cardNetwork(digits: string): { network: CardNetwork; prior: number } | null {
  const n = digits.length;
  if (n === 15) return /^3[47]/.test(digits) ? { network: 'amex', prior: 0.45 } : null;
  if (n < 16 || n > 19) return null;
  if (/^62/.test(digits)) return { network: 'unionpay', prior: 0.7 };
  if (/^4/.test(digits) && (n === 16 || n === 19)) return { network: 'visa', prior: 0.6 };
  if (/^5[1-5]/.test(digits) && n === 16) return { network: 'mastercard', prior: 0.6 };
  if (/^60/.test(digits)) return { network: 'unionpay', prior: 0.6 };
  if (/^35(?:2[89]|[3-8]\d)/.test(digits)) return { network: 'jcb', prior: 0.5 };
  if (/^2(?:2[2-9]|[3-6]\d|7[01]|720)/.test(digits) && n === 16) return { network: 'mastercard', prior: 0.4 };
  if (/^3(?:0[0-5]|[689])/.test(digits)) return { network: 'diners', prior: 0.4 };
  // Older domestic debit cards (e.g. 9558 ICBC, 95599 ABC), 19 digits.
  if (/^9[45]/.test(digits) && n === 19) return { network: 'domestic', prior: 0.4 };
  return null;
}

export function isBankCard(digits: string): boolean {
  return cardNetwork(digits) !== null && luhnValid(digits);
}
