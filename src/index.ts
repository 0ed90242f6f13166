export { createConnect } from './connect';
export type { AttachOptions, Connect, ConnectOptions, PopupOptions } from './connect';
export type { AttachTarget } from './buttons';
export { buildConnectUrl, CONNECT_ORIGIN } from './url';
export type { AppOptions, ConnectMode, ConnectUrlOptions, FlowOptions } from './url';
export { parseConnectResponse } from './response';
export type { ConnectResponse, ConnectResponseInput, ConnectResult, ConnectSuccess } from './response';
export type { ConnectEventName, ConnectEvents, ConnectListener } from './events';
export type { PopupSize } from './popup';
export {
  AccessDeniedError,
  ConfigurationError,
  ConnectError,
  InvalidResponseError,
  InvalidSubscriptionError,
  isConnectError,
  NoVehiclesError,
  PopupBlockedError,
  PopupClosedError,
  ReturnedToApplicationError,
  ServerError,
  StateMismatchError,
  TimeoutError,
  UserCancelledError,
  VehicleIncompatibleError,
} from './errors';
export type {
  AnyConnectError,
  ConnectErrorClass,
  ConnectErrorCode,
  ConnectErrorInit,
  ConnectParams,
  IncompatibleVehicle,
  KnownConnectError,
  UnknownConnectError,
} from './errors';
