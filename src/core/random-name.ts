// Docker-style names ("adjective_scientist") for containers run without --name.
const LEFT = ['admiring', 'brave', 'clever', 'dreamy', 'eager', 'focused', 'gallant', 'happy', 'jolly', 'keen', 'loving', 'nifty', 'quirky', 'serene', 'vibrant', 'zealous'];
const RIGHT = ['curie', 'darwin', 'euler', 'faraday', 'germain', 'hopper', 'lovelace', 'meitner', 'noether', 'pasteur', 'ritchie', 'shannon', 'tesla', 'turing', 'wozniak', 'yonath'];

export function randomName(taken: (name: string) => boolean): string {
  for (let i = 0; ; i++) {
    const l = LEFT[Math.floor(Math.random() * LEFT.length)];
    const r = RIGHT[Math.floor(Math.random() * RIGHT.length)];
    const name = i < 10 ? `${l}_${r}` : `${l}_${r}${i}`;
    if (!taken(name)) return name;
  }
}
