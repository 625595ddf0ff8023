// A hot loop: most CPU in isPrime under countPrimes, some in a string builder.
function isPrime(n) {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}
function countPrimes(limit) {
  let count = 0;
  for (let n = 0; n < limit; n++) if (isPrime(n)) count++;
  return count;
}
function buildLabels(count) {
  const parts = [];
  for (let i = 0; i < count; i++) parts.push('label-' + i.toString(16));
  return parts.join(',').length;
}
function main() {
  let total = 0;
  const until = Date.now() + 400;
  while (Date.now() < until) {
    total += countPrimes(60000);
    total += buildLabels(20000);
  }
  console.log('total', total);
}
main();
