import { Component, type ReactNode } from 'react';

/**
 * Keeps a failure inside one staff screen (an answer of an unexpected shape, say) from blanking the
 * whole app: the header stays usable and the screen offers a reload.
 */
export class StaffErrorBoundary extends Component<{ message: string; retry: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch(error: unknown) {
    console.error('[taza-map] staff screen failed', error);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="staff-page staff-page--empty">
        <div className="staff-card" role="alert" data-testid="staff-crashed">
          <p>{this.props.message}</p>
          <button type="button" className="staff-button staff-button--primary" onClick={() => window.location.reload()}>
            {this.props.retry}
          </button>
        </div>
      </div>
    );
  }
}
