window.useApi(window.SmartcarConnect);
