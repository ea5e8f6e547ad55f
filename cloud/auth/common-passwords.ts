/**
 * The most common passwords, lower case (compared case-insensitively by checkPasswordRules): the
 * top of the public leak lists, keyboard walks, and ones typical of Chinese users and of Chinese
 * network equipment defaults. Short on purpose: the length and class rules catch the long tail;
 * this catches the few that pass them (e.g. "Passw0rd@123", "1qaz@WSX3edc").
 */
const GROUPS = [
  // international leak-list top
  `password password1 password123 passw0rd p@ssw0rd p@ssw0rd123 passw0rd@123 p@ssword123
   12345678 123456789 1234567890 123123123 11111111 00000000 87654321 12341234
   qwertyuiop qwerty123 qwer1234 asdf1234 zxcv1234 asdfghjkl qazwsxedc zaq12wsx
   1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 iloveyou welcome1 welcome123 letmein123
   changeme changeme123 abc12345 abcd1234 abc123456 aa123456 aa12345678`,
  // administrators' favourites
  `admin123 admin1234 admin@123 admin@1234 admin123456 administrator root1234 root@123
   test1234 test@123 yiwang123 yiwang@123 p@ssw0rd1234 admin@123456 welcome@1234`,
  // typical of Chinese users (pinyin, lucky numbers, keyboard columns) and equipment defaults
  `woaini1314 woaini520 woaini123 5201314520 1314520520 5201314 1314520 a123456789
   a12345678 qq123456 qq123456789 123456abc 123456aa 88888888 66666666 147258369
   123qwe!@# aa123456789 abc@1234 abcd@1234 huawei@123 huawei12#$ admin@huawei
   1qaz2wsx 1qaz2wsx3edc 1qaz@wsx 1qaz@wsx3edc 1qaz!qaz zhang123 wang1234 li123456
   qwer1234!@#$ 1qaz2wsx!@#$ 1qaz@wsx#edc`,
];

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(GROUPS.flatMap((g) => g.trim().split(/\s+/)));
