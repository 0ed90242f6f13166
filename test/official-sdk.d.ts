// @smartcar/auth ships no types: what the tests read of it, the official SDK they compare with.
declare module '@smartcar/auth' {
  interface OfficialSmartcar {
    instanceId: string;
    getAuthUrl(options?: object): string;
    openDialog(options?: object): void;
    unmount(): void;
    messageHandler(event: MessageEvent): void;
  }
  const Smartcar: { new (options: object): OfficialSmartcar; AccessDenied: ErrorConstructor; InvalidSubscription: ErrorConstructor; VehicleIncompatible: ErrorConstructor };
  export default Smartcar;
}
