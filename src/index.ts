export { createConnect } from './connect';
export type { Connect } from './connect';
export type { AttachTarget } from './buttons';
export { buildConnectUrl, CONNECT_ORIGIN } from './url';
export { popupUnavailable } from './environment';
export type { ApiErrorResolution, AppOptions, AttachOptions, ConnectMode, ConnectOptions, ConnectUrlOptions, FlowOptions, PopupOptions, PopupSize } from './options';
export { parseConnectResponse } from './response';
export type { ConnectResponse, ConnectResponseInput, ConnectResult, ConnectSuccess } from './response';
export type { ConnectEventName, ConnectEvents, ConnectListener } from './events';
export {
  AccessDeniedError,
  BatteryCapacityNoSelectionError,
  ConfigurationError,
  ConnectError,
  InvalidResponseError,
  InvalidSubscriptionError,
  isConnectError,
  NoVehiclesError,
  OemCancelledLoginError,
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
