import Button from '@material-ui/core/Button';
import { Table, type TableColumn } from '@backstage/core-components';
import type { PromotionListItem } from '@tollgate/plugin-tollgate-common';
import { RiskLevelBadge } from './RiskLevelBadge';
import { stateLabel } from './ApprovalPanel';
import { describeSide, formatSignedUsd, formatTime } from './format';

/** Stored promotions, newest first, each openable. */
export function PromotionTable(props: {
  title: string;
  items: PromotionListItem[];
  onOpen: (item: PromotionListItem) => void;
  showEntity?: boolean;
  emptyContent?: React.ReactNode;
  options?: Record<string, unknown>;
}) {
  const columns: TableColumn<PromotionListItem>[] = [
    {
      title: 'Previewed',
      field: 'created_at',
      defaultSort: 'desc',
      render: item => (
        <time dateTime={item.created_at}>{formatTime(item.created_at)}</time>
      ),
    },
    ...(props.showEntity
      ? [
          {
            title: 'Workload',
            field: 'entity_ref',
            render: (item: PromotionListItem) =>
              item.entity_ref ?? item.workload.name,
          } as TableColumn<PromotionListItem>,
        ]
      : []),
    {
      title: 'From → to',
      render: item =>
        `${describeSide(item.source)} → ${describeSide(item.target)}`,
    },
    {
      title: 'Risk',
      field: 'risk_score',
      render: item => <RiskLevelBadge level={item.risk_level} />,
    },
    {
      title: 'Cost delta / month',
      field: 'estimated_cost.delta',
      align: 'right',
      render: item => formatSignedUsd(item.estimated_cost.delta),
    },
    {
      title: 'State',
      field: 'state',
      render: item => stateLabel(item.state),
    },
    { title: 'By', field: 'created_by' },
    {
      title: 'Open',
      sorting: false,
      render: item => (
        <Button
          size="small"
          variant="outlined"
          onClick={() => props.onOpen(item)}
          aria-label={`Open promotion previewed ${formatTime(item.created_at)}`}
        >
          Open
        </Button>
      ),
    },
  ];
  return (
    <Table<PromotionListItem>
      title={props.title}
      columns={columns}
      data={props.items}
      emptyContent={props.emptyContent}
      options={{
        paging: props.items.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
        ...props.options,
      }}
    />
  );
}
