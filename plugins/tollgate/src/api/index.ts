export {
  tollgateApiRef,
  type ObjectFilter,
  type TollgateApi,
} from './TollgateApi';
export { TollgateClient } from './TollgateClient';
export { errorMessage } from './errorMessage';
