using Azure;
using Azure.Data.Tables;

namespace MisSend.Azure.Storage;

internal static class TableExtensions
{
    public static async Task<T?> FindAsync<T>(this TableClient table, string partition, string row, CancellationToken ct)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partition, row, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts and takes the new ETag; false when the row already exists.</summary>
    public static async Task<bool> TryAddAsync<T>(this TableClient table, T entity, CancellationToken ct)
        where T : class, ITableEntity
    {
        try
        {
            var response = await table.AddEntityAsync(entity, ct);
            entity.ETag = response.Headers.ETag ?? ETag.All;
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Inserts rows of one partition in transactions of 100; a transaction that meets a row already there falls back to
    /// one insert each. Inserted rows carry their new ETag. Returns the rows that existed already (someone else's).
    /// </summary>
    public static async Task<List<T>> AddNewAsync<T>(this TableClient table, IReadOnlyList<T> entities, CancellationToken ct)
        where T : class, ITableEntity
    {
        var existing = new List<T>();
        foreach (var group in entities.Chunk(100))
        {
            try
            {
                var response = await table.SubmitTransactionAsync(group.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct);
                for (var i = 0; i < group.Length; i++)
                {
                    group[i].ETag = response.Value[i].Headers.ETag ?? ETag.All;
                }

                continue;
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
            }

            foreach (var entity in group)
            {
                if (!await table.TryAddAsync(entity, ct))
                {
                    existing.Add(entity);
                }
            }
        }

        return existing;
    }

    public static async Task<List<T>> ListAsync<T>(this TableClient table, string filter, CancellationToken ct)
        where T : class, ITableEntity, new()
    {
        var list = new List<T>();
        await foreach (var e in table.QueryAsync<T>(filter, cancellationToken: ct))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>Replaces the row if it is unchanged since it was read (its ETag); false when someone else changed it first.</summary>
    public static async Task<bool> TryReplaceAsync<T>(this TableClient table, T entity, CancellationToken ct)
        where T : class, ITableEntity
    {
        if (entity.ETag == default)
        {
            throw new ArgumentException("a conditional replace needs the ETag the row was read with", nameof(entity));
        }

        try
        {
            var response = await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, ct);
            entity.ETag = response.Headers.ETag ?? ETag.All;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces rows of one partition, each conditional on its ETag, in transactions of 100; a transaction that meets a
    /// changed row falls back to one conditional replace each. Returns the rows whose change landed (with new ETags).
    /// </summary>
    public static async Task<List<T>> ReplaceAllAsync<T>(this TableClient table, IReadOnlyList<T> entities, CancellationToken ct)
        where T : class, ITableEntity
    {
        var landed = new List<T>();
        foreach (var group in entities.Chunk(100))
        {
            try
            {
                var response = await table.SubmitTransactionAsync(group.Select(e => new TableTransactionAction(TableTransactionActionType.UpdateReplace, e, e.ETag)), ct);
                for (var i = 0; i < group.Length; i++)
                {
                    group[i].ETag = response.Value[i].Headers.ETag ?? ETag.All;
                }

                landed.AddRange(group);
                continue;
            }
            catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
            {
            }

            foreach (var entity in group)
            {
                if (await table.TryReplaceAsync(entity, ct))
                {
                    landed.Add(entity);
                }
            }
        }

        return landed;
    }

    /// <summary>Upserts rows of one partition in transactions of 100, the Table service's limit.</summary>
    public static async Task UpsertAllAsync<T>(this TableClient table, IEnumerable<T> entities, CancellationToken ct)
        where T : class, ITableEntity
    {
        foreach (var group in entities.GroupBy(e => e.PartitionKey))
        {
            foreach (var chunk in group.DistinctBy(e => e.RowKey).Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
            }
        }
    }
}
