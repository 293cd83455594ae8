// The UI's words in zh-CN (default) and en, one module per area so views grow their words independently.
// Keys are shared across modules (tests/client/i18n.test.ts refuses duplicates); English must fit layouts
// about 1.6× longer than the Chinese.
import * as common from './messages/common';
import * as domain from './messages/domain';
import * as tablet from './messages/tablet';
import * as replay from './messages/replay';
import * as wall from './messages/wall';
import * as wallMap from './messages/wall-map';

export const MODULES = { common, domain, wall, wallMap, replay, tablet } as const;

export const zhCN = {
  ...common.zhCN,
  ...domain.zhCN,
  ...wall.zhCN,
  ...wallMap.zhCN,
  ...replay.zhCN,
  ...tablet.zhCN,
};
export type MessageKey = keyof typeof zhCN;
export const en: Record<MessageKey, string> = {
  ...common.en,
  ...domain.en,
  ...wall.en,
  ...wallMap.en,
  ...replay.en,
  ...tablet.en,
};
