using System.Collections.Frozen;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>
/// The message types the relay may publish, by the name stored in <c>outbox_messages.message_type</c>.
/// Only contracts are publishable: a row naming any other type is malformed, never resolved by reflection.
/// </summary>
public sealed class OutboxMessageTypes
{
    private readonly FrozenDictionary<string, Type> _byName = typeof(SendSmsRequested).Assembly.GetExportedTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace == typeof(SendSmsRequested).Namespace)
        .ToFrozenDictionary(t => t.FullName!, StringComparer.Ordinal);

    public bool TryResolve(string name, out Type type) => _byName.TryGetValue(name, out type!);

    public static string NameOf(Type type) => type.FullName ?? throw new ArgumentException("A contract needs a full name.", nameof(type));
}
