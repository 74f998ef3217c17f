using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace SmsRemarketing.Data;

/// <summary>
/// Writes the entities a DbContext has <c>Added</c> with PostgreSQL binary COPY: one COPY per table, tables in
/// foreign-key order, all in one transaction (the context's current one, else its own, committed here). SaveChanges
/// sends one INSERT per row; a lead_age sweep page is ~1,500 rows, which COPY takes in one round trip per table.
/// The values are the ones SaveChanges would write, read from the EF model: column names, value converters (enums
/// stored as snake_case text) and store types. A column the database fills in (identity, a default, computed) is
/// left to it, as SaveChanges leaves it, but nothing is read back: so on success the change tracker is cleared.
/// Inserts only: a context with Modified or Deleted entries throws. A failure (e.g. a unique violation, raised as a
/// <see cref="PostgresException"/>, not a DbUpdateException) writes nothing and leaves the change tracker as it was.
/// </summary>
public static class AddedRowsCopy
{
    /// <summary>Writes and clears the change tracker; returns the number of rows written.</summary>
    public static async Task<int> WriteAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            db.ChangeTracker.DetectChanges();
        }

        var entries = db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged).ToList();
        if (entries.FirstOrDefault(e => e.State != EntityState.Added) is { } changed)
        {
            throw new InvalidOperationException(
                $"{nameof(AddedRowsCopy)} writes inserts only; {changed.Metadata.DisplayName()} is {changed.State}. Use SaveChanges.");
        }

        var tables = CopyTable.InForeignKeyOrder([.. entries.GroupBy(e => e.Metadata).Select(g => CopyTable.Of(g.Key, [.. g]))]);
        if (tables.Count == 0)
        {
            return 0;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            // Through EF, so that its transaction interceptors see the commit like any other.
            var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await using (owned)
            {
                foreach (var table in tables)
                {
                    await table.CopyAsync(connection, cancellationToken);
                }

                if (owned is not null)
                {
                    await owned.CommitAsync(cancellationToken);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        db.ChangeTracker.Clear();
        return entries.Count;
    }

    /// <summary>The Added rows of one entity type, and the columns COPY writes for them.</summary>
    private sealed class CopyTable
    {
        private readonly string _copyCommand;
        private readonly List<CopyColumn> _columns;
        private readonly List<EntityEntry> _rows;

        private CopyTable(IEntityType entityType, string copyCommand, List<CopyColumn> columns, List<EntityEntry> rows)
        {
            EntityType = entityType;
            _copyCommand = copyCommand;
            _columns = columns;
            _rows = rows;
        }

        public IEntityType EntityType { get; }

        public static CopyTable Of(IEntityType entityType, List<EntityEntry> rows)
        {
            if (entityType.GetTableName() is not { } name || entityType.IsOwned() || entityType.GetComplexProperties().Any()
                || entityType.GetDirectlyDerivedTypes().Any() || entityType.BaseType is not null)
            {
                throw new NotSupportedException(
                    $"{nameof(AddedRowsCopy)} writes entity types mapped to a table of their own; {entityType.DisplayName()} is not one.");
            }

            var table = StoreObjectIdentifier.Table(name, entityType.GetSchema());
            var columns = new List<CopyColumn>();
            foreach (var property in entityType.GetProperties())
            {
                if (property.GetColumnName(table) is { } column && property.GetComputedColumnSql(table) is null
                    && !LeftToTheDatabase(property, rows))
                {
                    var mapping = property.GetRelationalTypeMapping();
                    columns.Add(new CopyColumn(property, column, mapping.StoreTypeNameBase, mapping.Converter));
                }
            }

            var columnList = string.Join(", ", columns.Select(c => Quote(c.Name)));
            var tableName = table.Schema is null ? Quote(name) : $"{Quote(table.Schema)}.{Quote(name)}";
            return new CopyTable(entityType, $"COPY {tableName} ({columnList}) FROM STDIN (FORMAT BINARY)", columns, rows);
        }

        /// <summary>Tables whose rows others reference come first, so that every foreign key finds its row.</summary>
        public static List<CopyTable> InForeignKeyOrder(List<CopyTable> tables)
        {
            var ordered = new List<CopyTable>(tables.Count);
            var left = new List<CopyTable>(tables);
            while (left.Count > 0)
            {
                var next = left.FirstOrDefault(t => !left.Any(other => other != t && References(t, other)))
                    ?? throw new NotSupportedException(
                        $"{nameof(AddedRowsCopy)} found a cycle of foreign keys among {string.Join(", ", left.Select(t => t.EntityType.DisplayName()))}.");
                ordered.Add(next);
                left.Remove(next);
            }

            return ordered;
        }

        public async Task CopyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            await using var importer = await connection.BeginBinaryImportAsync(_copyCommand, cancellationToken);
            foreach (var row in _rows)
            {
                await importer.StartRowAsync(cancellationToken);
                foreach (var column in _columns)
                {
                    if (column.ProviderValue(row) is { } value)
                    {
                        await importer.WriteAsync(value, column.DataTypeName, cancellationToken);
                    }
                    else
                    {
                        await importer.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        private static bool References(CopyTable dependent, CopyTable principal) =>
            dependent.EntityType.GetForeignKeys().Any(fk => fk.PrincipalEntityType == principal.EntityType);

        /// <summary>
        /// SaveChanges leaves out a column with a store-generated value (identity, a default) when the entity has
        /// no value of its own for it (a temporary value, or the sentinel). One COPY has one column list for all
        /// its rows, so the rows must agree.
        /// </summary>
        private static bool LeftToTheDatabase(IProperty property, List<EntityEntry> rows)
        {
            if (!property.ValueGenerated.HasFlag(ValueGenerated.OnAdd))
            {
                return false;
            }

            var left = rows.Select(row => row.Property(property)).Count(value => value.IsTemporary || Equals(value.CurrentValue, property.Sentinel));
            return left == 0 ? false
                : left == rows.Count ? true
                : throw new NotSupportedException(
                    $"{nameof(AddedRowsCopy)} cannot write {property.DeclaringType.DisplayName()}.{property.Name}: some rows have a value, others leave it to the database.");
        }

        private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }

    private sealed record CopyColumn(IProperty Property, string Name, string DataTypeName, ValueConverter? Converter)
    {
        public object? ProviderValue(EntityEntry row)
        {
            var value = row.Property(Property).CurrentValue;
            if (value is not null && Converter is not null)
            {
                value = Converter.ConvertToProvider(value);
            }

            // PostgreSQL's timestamptz holds an instant; Npgsql writes only UTC DateTimeOffsets to it.
            return value is DateTimeOffset instant ? instant.ToUniversalTime() : value;
        }
    }
}
