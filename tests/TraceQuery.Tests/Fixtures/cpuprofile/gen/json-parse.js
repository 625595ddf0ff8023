// JSON.parse of a big string under loadConfig, plus a summing pass and an idle wait.
function makeConfig(entries) {
  const items = [];
  for (let i = 0; i < entries; i++) items.push({ id: i, name: 'item-' + i, tags: ['a', 'b', 'c'], weight: i * 0.5 });
  return JSON.stringify({ items });
}
function loadConfig(text) {
  return JSON.parse(text);
}
function sumWeights(config) {
  let sum = 0;
  for (const item of config.items) sum += item.weight;
  return sum;
}
function main() {
  const text = makeConfig(200000);
  let sum = 0;
  for (let round = 0; round < 6; round++) sum += sumWeights(loadConfig(text));
  setTimeout(() => console.log('sum', sum), 150);
}
main();
