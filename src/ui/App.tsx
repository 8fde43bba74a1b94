import { useEffect } from 'react';
import { useStudio } from '../store';
import { AttentionPanel } from './attention/AttentionPanel';
import { ChartsPanel } from './charts/ChartsPanel';
import { DataPanel } from './data/DataPanel';
import { EvaluationPanel } from './evaluation/EvaluationPanel';
import { ExportPanel } from './export/ExportPanel';
import { ModelPanel } from './model/ModelPanel';
import { PlaygroundPanel } from './playground/PlaygroundPanel';
import { ResumeBanner } from './runs/ResumeBanner';
import { CapabilityBanner } from './shell/CapabilityBanner';
import { ErrorBanner } from './shell/ErrorBanner';
import { Header } from './shell/Header';
import { StatusBar } from './shell/StatusBar';
import { TrainingPanel } from './training/TrainingPanel';
import './theme.css';
import './common/common.css';
import './App.css';

// Module-level so StrictMode's double mount in development does not start a second engine.
let engineStarted = false;

export function App() {
  useEffect(() => {
    if (engineStarted) return;
    engineStarted = true;
    void useStudio.getState().startEngine();
  }, []);
  useEffect(() => {
    // A trained model that was not downloaded, or a run in progress: the browser asks before the tab goes.
    const ask = (event: BeforeUnloadEvent) => {
      const { unexported, runState } = useStudio.getState();
      if (unexported || runState === 'training' || runState === 'paused' || runState === 'stopping') event.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, []);
  return (
    <div className="app">
      <Header />
      <div className="app-notices">
        <CapabilityBanner />
        <ErrorBanner />
        <ResumeBanner />
      </div>
      <main className="app-grid">
        <div className="app-cell app-model">
          <ModelPanel />
        </div>
        <div className="app-cell app-data">
          <DataPanel />
        </div>
        <div className="app-cell app-training">
          <TrainingPanel />
        </div>
        <div className="app-cell app-charts">
          <ChartsPanel />
        </div>
        <div className="app-cell app-evaluation">
          <EvaluationPanel />
        </div>
        <div className="app-cell app-attention">
          <AttentionPanel />
        </div>
        <div className="app-cell app-playground">
          <PlaygroundPanel />
        </div>
        <div className="app-cell app-export">
          <ExportPanel />
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
