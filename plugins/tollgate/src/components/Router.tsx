import { Route, Routes } from 'react-router-dom';
import { ClustersPage } from './ClustersPage';
import { ClusterDetailPage } from './ClusterDetailPage';

/** Tollgate's pages below its mount point (by default `/tollgate/clusters`). */
export function Router() {
  return (
    <Routes>
      <Route path="/" element={<ClustersPage />} />
      <Route path="/:clusterId" element={<ClusterDetailPage />} />
    </Routes>
  );
}
