import {
  DEFAULT_RATES,
  DefaultRates,
  HOURS_PER_MONTH,
  INSTANCE_PRICES,
  InstancePrice,
  LOAD_BALANCER_PRICES,
  STORAGE_PRICES,
  StoragePrice,
} from './priceData';

/** Where a price is looked up: provider and region may be unknown. */
export interface InstanceQuery {
  provider?: string;
  region?: string;
  instanceType: string;
}

/**
 * Prices the cost engine reads. Every figure it returns already has the
 * discount applied, so the engine never needs to know about discounts.
 */
export interface PriceBook {
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  /** 0..100, applied to every price. */
  readonly discountPercent: number;
  readonly defaults: DefaultRates;
  instance(query: InstanceQuery): InstancePrice | undefined;
  storage(diskType: string): StoragePrice | undefined;
  /** USD per hour for one load balancer; 0 for providers without a figure. */
  loadBalancerHourly(provider: string | undefined): number;
}

/** Overrides layered on the shipped data, e.g. from app-config. */
export interface PriceBookOptions {
  /** Added, or replacing shipped entries of the same provider, region and type. */
  instances?: InstancePrice[];
  defaults?: Partial<DefaultRates>;
  /** Added, or replacing shipped entries of the same disk type. */
  storage?: StoragePrice[];
  /** USD per hour, per provider. */
  loadBalancers?: Record<string, number>;
  discountPercent?: number;
  hoursPerMonth?: number;
}

function instanceKey(
  provider: string,
  region: string,
  instanceType: string,
): string {
  return `${provider}/${region}/${instanceType}`;
}

function validateDiscount(percent: number): number {
  if (!Number.isFinite(percent) || percent < 0 || percent >= 100) {
    throw new RangeError(
      `discountPercent must be at least 0 and below 100, got ${percent}`,
    );
  }
  return percent;
}

function discounted(price: InstancePrice, factor: number): InstancePrice {
  return {
    ...price,
    hourly: price.hourly * factor,
    ...(price.spotHourly !== undefined
      ? { spotHourly: price.spotHourly * factor }
      : {}),
  };
}

function discountedDefaults(rates: DefaultRates, factor: number): DefaultRates {
  return {
    ...rates,
    cpuPerCoreHour: rates.cpuPerCoreHour * factor,
    ramPerGiBHour: rates.ramPerGiBHour * factor,
    gpuPerHour: rates.gpuPerHour * factor,
    spotCpuPerCoreHour: rates.spotCpuPerCoreHour * factor,
    spotRamPerGiBHour: rates.spotRamPerGiBHour * factor,
    storagePerGiBMonth: rates.storagePerGiBMonth * factor,
  };
}

/** The shipped price data with optional overrides and a discount on top. */
export function createPriceBook(options: PriceBookOptions = {}): PriceBook {
  const discountPercent = validateDiscount(options.discountPercent ?? 0);
  const factor = 1 - discountPercent / 100;
  const instances = new Map<string, InstancePrice>();
  for (const price of [...INSTANCE_PRICES, ...(options.instances ?? [])]) {
    instances.set(
      instanceKey(price.provider, price.region, price.instanceType),
      price,
    );
  }
  const storage = new Map<string, StoragePrice>();
  for (const price of [...STORAGE_PRICES, ...(options.storage ?? [])]) {
    storage.set(price.diskType, price);
  }
  const loadBalancers: Record<string, number> = Object.fromEntries(
    LOAD_BALANCER_PRICES.map(price => [price.provider, price.hourly]),
  );
  Object.assign(loadBalancers, options.loadBalancers);

  return {
    currency: 'USD',
    hoursPerMonth: options.hoursPerMonth ?? HOURS_PER_MONTH,
    discountPercent,
    defaults: discountedDefaults(
      { ...DEFAULT_RATES, ...options.defaults },
      factor,
    ),
    instance(query) {
      const found = findInstance(instances, query);
      return found && discounted(found, factor);
    },
    storage(diskType) {
      const found = storage.get(diskType);
      return found && { ...found, perGiBMonth: found.perGiBMonth * factor };
    },
    loadBalancerHourly(provider) {
      return (provider ? loadBalancers[provider] ?? 0 : 0) * factor;
    },
  };
}

/**
 * Exact match first; when the node does not say its provider or region,
 * the first shipped entry of that type (data order, so deterministic).
 */
function findInstance(
  instances: Map<string, InstancePrice>,
  { provider, region, instanceType }: InstanceQuery,
): InstancePrice | undefined {
  if (provider && region) {
    return instances.get(instanceKey(provider, region, instanceType));
  }
  for (const price of instances.values()) {
    const sameType = price.instanceType === instanceType;
    if (
      sameType &&
      (!provider || price.provider === provider) &&
      (!region || price.region === region)
    ) {
      return price;
    }
  }
  return undefined;
}
