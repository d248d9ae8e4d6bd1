import type { Faker } from '@faker-js/faker';
// The French locale alone: the package root loads every locale into memory.
import { faker as frenchFaker } from '@faker-js/faker/locale/fr';
import { Random } from './random.js';

/** A customer of the shop. The pool is fixed per seed, so customers come back. */
export interface Customer {
  readonly customerId: number;
  readonly name: string;
  readonly city: string;
  readonly email: string;
  /** When the customer signed up (ms since epoch), for the CUSTOMERS table. */
  readonly signupAt: number;
}

/**
 * The big French cities with their relative population: most customers live
 * there, so city rankings in reports look like a real French shop's.
 */
const MAJOR_CITIES: ReadonlyArray<readonly [string, number]> = [
  ['Paris', 2100],
  ['Marseille', 870],
  ['Lyon', 520],
  ['Toulouse', 500],
  ['Nice', 340],
  ['Nantes', 320],
  ['Montpellier', 300],
  ['Strasbourg', 290],
  ['Bordeaux', 260],
  ['Lille', 235],
  ['Rennes', 225],
  ['Reims', 180],
  ['Toulon', 180],
  ['Saint-Étienne', 175],
  ['Le Havre', 165],
  ['Grenoble', 160],
  ['Dijon', 160],
  ['Angers', 155],
];
const MAJOR_CITY_SHARE = 0.65;

/**
 * Builds the customer pool for a seed: French names (faker `fr` locale) and
 * cities, two thirds of them in the big cities. Deterministic per seed.
 */
export function createCustomerPool(seed: number, size: number, signupBefore = Date.UTC(2025, 0, 1)): Customer[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`customer pool size must be a positive integer, got ${size}`);
  // A seeded instance of our own with French definitions (and their fallbacks): same draws as `[fr, base]`.
  const SeededFaker = frenchFaker.constructor as typeof Faker;
  const faker = new SeededFaker({ locale: [frenchFaker.rawDefinitions], seed });
  const random = new Random(seed ^ 0x5eed);
  const totalWeight = MAJOR_CITIES.reduce((s, [, w]) => s + w, 0);
  const majorCity = () => {
    let r = random.next() * totalWeight;
    for (const [name, w] of MAJOR_CITIES) if ((r -= w) < 0) return name;
    return MAJOR_CITIES[0]![0];
  };
  const threeYears = 3 * 365 * 24 * 3600 * 1000;
  const customers: Customer[] = [];
  for (let i = 0; i < size; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    customers.push({
      customerId: i + 1,
      name: `${firstName} ${lastName}`,
      city: random.chance(MAJOR_CITY_SHARE) ? majorCity() : faker.location.city(),
      email: faker.internet.email({ firstName, lastName }).toLowerCase(),
      signupAt: signupBefore - Math.floor(random.next() * threeYears),
    });
  }
  return customers;
}

/**
 * Picks a customer with a skew towards the start of the pool, so a few loyal
 * customers order often and most order once or twice (P(index < k) = √(k/n)).
 */
export function pickCustomer(pool: readonly Customer[], random: Random): Customer {
  const r = random.next();
  return pool[Math.floor(pool.length * r * r)]!;
}
