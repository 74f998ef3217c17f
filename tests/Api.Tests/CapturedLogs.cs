using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SmsRemarketing.Api.Tests;

/// <summary>
/// A logger provider that keeps every line the host logs (at the level configuration lets through): the message, its
/// structured values, its scopes and its exception, as one text per line, so a test can search them for a secret.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
            Append(line, state);
            owner._scopes.ForEachScope((scope, text) => Append(text, scope), line);
            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            owner._lines.Enqueue(line.ToString());
        }

        private static void Append(StringBuilder line, object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    line.Append(" | ").Append(key).Append('=').Append(value);
                }
            }
            else if (state is not null)
            {
                line.Append(" | ").Append(state);
            }
        }
    }
}
