// An app written as Smartcar's getting-started tutorial (React) writes its client: a class
// component that makes its Smartcar in the constructor and hands every onComplete to its server,
// the code as it came (also beside an error). Configured at build time, as react-scripts does.
import React from 'react';
import ReactDOM from 'react-dom';
import Smartcar from '@smartcar/auth';

class App extends React.Component {
  constructor(props) {
    super(props);
    this.state = { vehicle: null };
    this.authorize = this.authorize.bind(this);
    this.onComplete = this.onComplete.bind(this);
    this.smartcar = new Smartcar({
      clientId: process.env.REACT_APP_CLIENT_ID,
      redirectUri: process.env.REACT_APP_REDIRECT_URI,
      scope: ['required:read_vehicle_info'],
      mode: 'test',
      onComplete: this.onComplete,
    });
  }

  onComplete(err, code) {
    return fetch(`/api/exchange?code=${code}`)
      .then((response) => response.json())
      .then(({ vehicles }) => this.setState({ vehicle: vehicles[0] || { error: 'No vehicle' } }));
  }

  authorize() {
    this.smartcar.openDialog({ forcePrompt: true });
  }

  render() {
    const { vehicle } = this.state;
    if (!vehicle) {
      return (
        <button id="connect" type="button" onClick={this.authorize}>
          Connect Car
        </button>
      );
    }
    return <p id="vehicle">{vehicle.error || `${vehicle.make} ${vehicle.model}`}</p>;
  }
}

ReactDOM.render(
  <React.StrictMode>
    <App />
  </React.StrictMode>,
  document.getElementById('root'),
);
