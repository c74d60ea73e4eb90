export { ClusterDetailPage } from './ClusterDetailPage';
