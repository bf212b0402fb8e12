/**
 * A blocklist of common and breached passwords (21 CFR 11.300(a)-(b): identification codes and
 * passwords must be unique and hard to guess; NIST SP 800-63B 5.1.1.2 asks verifiers to refuse
 * "commonly-used, expected, or compromised" values).
 *
 * The list is kept in this module, not in a separate text file, so that it is compiled, bundled and
 * committed with the code: the repository's .gitignore excludes every `data/` directory and
 * `tsc -p tsconfig.build.json` does not copy non-TypeScript assets.
 *
 * Format of COMMON_PASSWORDS_LIST: lines starting with '#' are comments; every other line holds
 * lower-case passwords separated by single spaces (none of them contains whitespace).
 */
const COMMON_PASSWORDS_LIST = `
# Provenance: compiled by the Attestflow authors from memory of publicly reported most-common-password
# lists (top entries of the RockYou breach corpus, the SplashData and NordPass annual lists, the UK NCSC
# PwnedPasswords top-100k list), plus generated keyboard walks, digit patterns and word+digit/year
# suffixes. It was written without network access, so it is not a verbatim copy of any of those lists.
# Most common passwords from public breach-corpus and annual 'worst password' lists (668)
123456 password 12345678 qwerty 123456789 12345 1234 111111 1234567 dragon 123123 baseball abc123 football monkey letmein 696969 shadow master 666666
qwertyuiop 123321 mustang 1234567890 michael 654321 superman 1qaz2wsx 7777777 121212 000000 qazwsx 123qwe killer trustno1 jordan jennifer zxcvbnm
asdfgh hunter buster soccer harley batman andrew tigger sunshine iloveyou 2000 charlie robert thomas hockey ranger daniel starwars klaster 112233
george computer michelle jessica pepper 1111 zxcvbn 555555 11111111 131313 freedom 777777 pass maggie 159753 aaaaaa ginger princess joshua cheese
amanda summer love ashley nicole chelsea biteme matthew access yankees 987654321 dallas austin thunder taylor matrix william corvette hello martin
heather secret merlin diamond 1234qwer gfhjkm hammer silver 222222 88888888 anthony justin test bailey q1w2e3r4t5 patrick internet scooter orange
11111 golfer cookie richard samantha bigdog guitar jackson whatever mickey chicken sparky snoopy maverick phoenix camaro peanut morgan welcome falcon
cowboy ferrari samsung andrea smokey steelers joseph mercedes dakota arsenal eagles melissa boomer booboo spider nascar monster tigers yellow xxxxxx
123123123 gateway marina diablo bulldog qwer1234 compaq purple banana junior hannah 123654 porsche lakers iceman money cowboys 987654 london tennis
999999 ncc1701 coffee scooby 0000 miller boston q1w2e3r4 brandon yamaha chester mother forever johnny edward 333333 oliver redsox player nikita knight
fender barney midnight please brandy chicago badboy slayer rangers charles angel flower bigdaddy rabbit wizard jasper enter rachel chris steven winner
adidas victoria natasha 1q2w3e4r jasmine winter prince marine ghbdtn fishing cocacola casper james 232323 raiders 888888 marlboro gandalf asdfasdf
crystal 87654321 12344321 golden 8675309 apples sexy carlos hello1 blahblah mustang1 bandit zaq12wsx helpme iloveu princess1 rockyou babygirl lovely
michelle1 sunshine1 chocolate password1 butterfly liverpool loveme friends purple1 angel1 jordan23 football1 secret1 andrea1 carlos1 bubbles superman1
hannah1 amanda1 loveyou pretty basketball angels tweety flower1 playboy elizabeth hottie tinkerbell barbie teamo brandon1 eminem danielle family
jonathan dragon1 vanessa naruto spongebob taylor1 lauren mickey1 princesa alexandra alexis jesus estrella miguel beautiful mylove angela poohbear
iloveme sakura adrian alexander destiny christian sayang america dancer monica diamond1 carolina 789456 shorty nathan gabriel cherry sandra alejandro
brittany alejandra patricia tequiero dolphin antonio stephanie blink182 sweetie beauty honey fernando pokemon corazon cristina rainbow kisses manuel
myspace rebelde ricardo babygurl heaven 55555 november alyssa madison 123abc mahalkita september december mariposa maria gabriela iloveyou2 bailey1
jeremy pamela kimberly gemini shannon pictures sophie jessie hellokitty claudia babygirl1 angelica mahalko victor horses tiffany mariana eduardo
andres courtney kissme ronaldo iloveyou1 precious october inuyasha peaches veronica cutie banana1 friend jesus1 celtic oliver1 diana freedom1 angelo
kenneth scooby1 carmen 456789 sebastian rebecca jackie spiderman christopher karina hotmail 0123456789 school barcelona august orlando samuel cameron
slipknot cutiepie monkey1 50cent bonita kevin maganda babyboy brenda kitten karen isabel natalie cuteako javier 789456123 sarah bowwow portugal laura
marvin denise volleyball rockstar january alicia nicholas flowers cristian tintin bianca chrisbrown smokey1 101010 strawberry garfield dennis panget
francis cassie benfica love123 lollipop olivia cancer camila superstar harrypotter ihateyou monique christine scorpio lorena andreea katherine charmed
abigail rafael icecream mexico brianna nirvana aaliyah pookie johncena lovelove benjamin gangsta brooke hiphop mybaby sergio metallica julian travis
myspace1 babyblue sabrina michael1 jeffrey stephen catherine fernanda westlife blondie sasuke smiley simple melanie steaua dolphins roberto fluffy
teresa piglet ronald slideshow asdfghjkl minnie newyork jason raymond santiago jayson 5201314 jerome muffin gatita babyko 246810 sweetheart chivas
ladybug kitty popcorn alberto valeria cookies leslie jenny 12345678910 leonardo jayjay liliana dexter amores rockon christ babydoll marcus fatima
miamor lover single eeyore lalala 252525 skater dragons zxcvbnm1 asdfgh1 qwerty1 qwerty12 qwerty123 1qaz2wsx3edc abcd1234 abc12345 abcdef abcdefg
abcdefgh abcdefghi passw0rd p@ssw0rd p@ssword pa55word pa$$word passwort motdepasse contrasena senha wachtwoord parola haslo salasana welcome1
welcome123 changeme changeme1 letmein1 letmein123 admin admin123 admin1 administrator root toor guest default login user test123 test1 testing
testtest temp temp123 demo sample qwerty1234 password123 password12 passpass password! iloveyou! 1password mypassword newpassword oldpassword
yourpassword thepassword secretpassword nopassword lovepassword password01 password11 password99 pass123 pass1234 pass1 passwd mypass access14
superuser sysadmin system manager support service office server oracle mysql postgres database backup trustnoone whatever1 nothing everything
something anything somebody nobody iamgod godisgood jesuschrist blessed blessing faith hope grace angel12 heaven1 trinity matrix1 neo morpheus zion
# Keyboard walks (QWERTY, AZERTY, QWERTZ rows, columns and number-pad patterns) (84)
qwertyu qwertyui qwertyuio asdf asdfg asdfghj asdfghjk zxcv zxcvb qazwsxedc qazxsw qazxswedc 1qazxsw2 zaq1xsw2 zaq1zaq1 !qaz2wsx !qaz@wsx 1qaz@wsx
1q2w3e 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3 q1w2e3r4t5y6 12qwaszx asdf1234 zxcv1234 qwerasdf qwerasdfzxcv qweasd qweasdzxc qweqwe qwe123 qwe321 asd123
zxc123 asdasd zxczxc qweasd123 poiuytrewq lkjhgfdsa mnbvcxz poiuyt lkjhgf mnbvcx azerty azertyuiop qwertz qwertzuiop ytrewq trewq 1qa2ws3ed 1qw23e
1qwerty 1asdfgh 1zxcvbn qwerty!@# !@#$%^ !@#$%^&* !@#$%^&*() 1q2w3e4r! 1qaz!qaz 147258 147258369 147852 147852369 159357 159357456 159753456 258456
258369 321654 369258147 741852 741852963 789654 789654123 963852 963852741 852456 456123 456852 123654789 1478963 1236987
# Repeated, sequential and date-like digit patterns; years 1950-2030 (207)
00000 0000000 00000000 000000000 0000000000 00000000000 000000000000 1111111 111111111 1111111111 11111111111 111111111111 2222 22222 2222222 22222222
222222222 2222222222 22222222222 222222222222 3333 33333 3333333 33333333 333333333 3333333333 33333333333 333333333333 4444 44444 444444 4444444
44444444 444444444 4444444444 44444444444 444444444444 5555 5555555 55555555 555555555 5555555555 55555555555 555555555555 6666 66666 6666666 66666666
666666666 6666666666 66666666666 666666666666 7777 77777 77777777 777777777 7777777777 77777777777 777777777777 8888 88888 8888888 888888888
8888888888 88888888888 888888888888 9999 99999 9999999 99999999 999999999 9999999999 99999999999 999999999999 01234567 0987654321 98765432 9876543
98765 54321 4321 7654321 12341234 1234321 1234554321 123454321 12121212 11223344 112233445566 111222 111222333 123456123456 123412 010101 10101010
123456a a123456 123456q q123456 12345a 1234abcd a1b2c3 a1b2c3d4 a1b2c3d4e5 abc123456 abc abcabc abcabc123 aaaaaaaa aaa111 zzzzzz xxxxxxxx qqqqqq
1q1q1q 135790 13579 2468 24680 20102010 520520 1314520 7758521 6969 80486 31415926 3141592653 271828 1950 1951 1952 1953 1954 1955 1956 1957 1958 1959
1960 1961 1962 1963 1964 1965 1966 1967 1968 1969 1970 1971 1972 1973 1974 1975 1976 1977 1978 1979 1980 1981 1982 1983 1984 1985 1986 1987 1988 1989
1990 1991 1992 1993 1994 1995 1996 1997 1998 1999 2001 2002 2003 2004 2005 2006 2007 2008 2009 2010 2011 2012 2013 2014 2015 2016 2017 2018 2019 2020
2021 2022 2023 2024 2025 2026 2027 2028 2029 2030
# Common first names (frequent password bases) (119)
john david mark donald paul brian timothy ryan jacob gary eric larry scott gregory frank jack jerry tyler aaron jose adam henry douglas zachary peter
kyle ethan walter noah keith roger terry gerald harold sean carl arthur lawrence dylan jesse bryan billy joe bruce logan albert willie alan juan wayne
elijah randy roy vincent ralph eugene russell bobby mason philip louis mary linda barbara susan lisa nancy betty margaret emily donna carol dorothy
deborah sharon cynthia kathleen amy shirley anna emma helen debra carolyn janet diane ruth julie joyce virginia kelly christina joan evelyn judith
megan cheryl jacqueline martha gloria ann sara frances kathryn janice jean alice judy sophia amber doris marilyn beverly isabella theresa charlotte
marie kayla lori
# Common words, pets, places, brands, games, films and sports teams (268)
abcd animal apple autumn baby bear beach bird black blue bubble butter candy captain cat chance change city cool country crazy dance darkness death
dog doctor donkey dream eagle earth energy evil fire forest friday fuckyou fuckoff galaxy garden ghost gold golf green happy happiness heart holiday
home horse ice island jaguar jungle kiss lady legend lemon liberty light lion little lucky magic memory mike mirror monday moon music nature ninja
ocean panda panther paradise paris passion peace pirate pizza planet poison power pumpkin queen rain red river rocket rose russia saturday shark sky
smile snake snow soldier spirit spring star storm sun sunday super sweet tiger tomato travel tree turtle unicorn united valley victory viking warrior
water white wolf wonder world zombie zeus apollo athena hercules spartan samurai dragonfly blackcat whitecat bluesky redrose blackrose darkangel
fallenangel sweetpea honeybee sunflower moonlight starlight snowflake firefly rainbow6 lovebug teddybear pussycat kitkat snickers skittles oreo
nutella bacon burger cheeseburger pancake cupcake cookie1 lamborghini bmw audi toyota honda nissan ford chevy ducati kawasaki suzuki jeep subaru volvo
tesla google facebook twitter instagram youtube linkedin yahoo gmail microsoft windows apple1 iphone android nokia sony playstation xbox nintendo
minecraft fortnite roblox zelda mario sonic pacman tetris counterstrike warcraft starcraft halo skyrim overwatch callofduty ironman hulk thor
captainamerica wolverine deadpool joker startrek jedi yoda skywalker vader darthvader chewbacca frodo hobbit legolas aragorn hogwarts voldemort
dumbledore hermione sherlock simpsons homer bart mickeymouse minniemouse goofy pluto bambi nemo shrek elmo winnie pooh chelsea1 manchester manutd
realmadrid juventus milan bayern rangers1 everton tottenham newcastle leeds bulls celtics packers patriots broncos eagles1 giants jets dolphins1 bears
vikings saints chargers
# Workplace and regulated-industry words an eQMS user is likely to try (37)
attestflow eqms quality qualityassurance validation compliance regulatory pharma pharmacy biotech medical laboratory gmp glp gcp fda cfr part11 audit
auditor capa deviation changecontrol sop document signature esignature company corporate business enterprise companyname organisation organization
employee staff worker
# Common bases with digit, symbol and year suffixes (e.g. Password1!, Summer2024) (393)
password1234 password12345 password1! password123! password2020 password2021 password2022 password2023 password2024 password2025 password2026
welcome12 welcome1234 welcome12345 welcome! welcome1! welcome123! welcome01 welcome2020 welcome2021 welcome2022 welcome2023 welcome2024 welcome2025
welcome2026 summer1 summer12 summer123 summer1234 summer12345 summer! summer1! summer123! summer01 summer2020 summer2021 summer2022 summer2023
summer2024 summer2025 summer2026 winter1 winter12 winter123 winter1234 winter12345 winter! winter1! winter123! winter01 winter2020 winter2021
winter2022 winter2023 winter2024 winter2025 winter2026 spring1 spring12 spring123 spring1234 spring12345 spring! spring1! spring123! spring01
spring2020 spring2021 spring2022 spring2023 spring2024 spring2025 spring2026 autumn1 autumn12 autumn123 autumn1234 autumn12345 autumn! autumn1!
autumn123! autumn01 autumn2020 autumn2021 autumn2022 autumn2023 autumn2024 autumn2025 autumn2026 qwerty12345 qwerty! qwerty1! qwerty123! qwerty01
qwerty2020 qwerty2021 qwerty2022 qwerty2023 qwerty2024 qwerty2025 qwerty2026 admin12 admin1234 admin12345 admin! admin1! admin123! admin01 admin2020
admin2021 admin2022 admin2023 admin2024 admin2025 admin2026 letmein12 letmein1234 letmein12345 letmein! letmein1! letmein123! letmein01 letmein2020
letmein2021 letmein2022 letmein2023 letmein2024 letmein2025 letmein2026 changeme12 changeme123 changeme1234 changeme12345 changeme! changeme1!
changeme123! changeme01 changeme2020 changeme2021 changeme2022 changeme2023 changeme2024 changeme2025 changeme2026 monkey12 monkey123 monkey1234
monkey12345 monkey! monkey1! monkey123! monkey01 monkey2020 monkey2021 monkey2022 monkey2023 monkey2024 monkey2025 monkey2026 dragon12 dragon123
dragon1234 dragon12345 dragon! dragon1! dragon123! dragon01 dragon2020 dragon2021 dragon2022 dragon2023 dragon2024 dragon2025 dragon2026 iloveyou12
iloveyou123 iloveyou1234 iloveyou12345 iloveyou1! iloveyou123! iloveyou01 iloveyou2020 iloveyou2021 iloveyou2022 iloveyou2023 iloveyou2024
iloveyou2025 iloveyou2026 football12 football123 football1234 football12345 football! football1! football123! football01 football2020 football2021
football2022 football2023 football2024 football2025 football2026 baseball1 baseball12 baseball123 baseball1234 baseball12345 baseball! baseball1!
baseball123! baseball01 baseball2020 baseball2021 baseball2022 baseball2023 baseball2024 baseball2025 baseball2026 master1 master12 master123
master1234 master12345 master! master1! master123! master01 master2020 master2021 master2022 master2023 master2024 master2025 master2026 sunshine12
sunshine123 sunshine1234 sunshine12345 sunshine! sunshine1! sunshine123! sunshine01 sunshine2020 sunshine2021 sunshine2022 sunshine2023 sunshine2024
sunshine2025 sunshine2026 princess12 princess123 princess1234 princess12345 princess! princess1! princess123! princess01 princess2020 princess2021
princess2022 princess2023 princess2024 princess2025 princess2026 january1 january12 january123 january1234 january12345 january! january1! january123!
january01 january2020 january2021 january2022 january2023 january2024 january2025 january2026 december1 december12 december123 december1234
december12345 december! december1! december123! december01 december2020 december2021 december2022 december2023 december2024 december2025 december2026
monday1 monday12 monday123 monday1234 monday12345 monday! monday1! monday123! monday01 monday2020 monday2021 monday2022 monday2023 monday2024
monday2025 monday2026 friday1 friday12 friday123 friday1234 friday12345 friday! friday1! friday123! friday01 friday2020 friday2021 friday2022
friday2023 friday2024 friday2025 friday2026 company1 company12 company123 company1234 company12345 company! company1! company123! company01
company2020 company2021 company2022 company2023 company2024 company2025 company2026 attestflow1 attestflow12 attestflow123 attestflow1234
attestflow12345 attestflow! attestflow1! attestflow123! attestflow01 attestflow2020 attestflow2021 attestflow2022 attestflow2023 attestflow2024
attestflow2025 attestflow2026 quality1 quality12 quality123 quality1234 quality12345 quality! quality1! quality123! quality01 quality2020 quality2021
quality2022 quality2023 quality2024 quality2025 quality2026 compliance1 compliance12 compliance123 compliance1234 compliance12345 compliance!
compliance1! compliance123! compliance01 compliance2020 compliance2021 compliance2022 compliance2023 compliance2024 compliance2025 compliance2026
`;

let cached: ReadonlySet<string> | undefined;

/** Parses the list format above: '#' lines are comments, passwords are separated by whitespace. */
export function parsePasswordList(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/\s+/))
    .filter((word) => word.length > 0);
}

/** The shipped list as a set of lower-case passwords (parsed once, on first use). */
export function commonPasswords(): ReadonlySet<string> {
  cached ??= new Set(parsePasswordList(COMMON_PASSWORDS_LIST));
  return cached;
}

/**
 * True if the password, lower-cased, is on the list, or would be after stripping trailing symbols
 * ("123456789!!") or trailing digits and symbols ("Summer2024!" -> "summer", "P@ssw0rd1" -> "p@ssw0rd").
 */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.normalize('NFKC').toLowerCase();
  const candidates = [lower, lower.replace(/[^\p{L}\p{N}]+$/u, ''), lower.replace(/[^\p{L}]+$/u, '')];
  return candidates.some((candidate) => candidate.length > 0 && list.has(candidate));
}
