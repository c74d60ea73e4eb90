export * from './priceData';
export * from './priceBook';
