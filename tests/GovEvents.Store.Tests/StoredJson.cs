using Npgsql;
using Shouldly;

namespace GovEvents.Store.Tests;

/// <summary>What PostgreSQL holds, read past Marten: a value at a jsonb path as text and its JSON type.</summary>
public static class StoredJson
{
    public static async Task<(string? Text, string? JsonType)> AtAsync(string connectionString, string table, string where, string path)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"select data #>> @path::text[], jsonb_typeof(data #> @path::text[]) from {table} where {where}", conn);
        cmd.Parameters.AddWithValue("path", path);
        await using var reader = await cmd.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue($"No row in {table} where {where}.");
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>The stored event's name and data as jsonb text, with the text PostgreSQL makes of <paramref name="json"/>.</summary>
    public static async Task<(string Type, string Data, string Expected)> EventAsync(string connectionString, string streamId, string json)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select type, data::text, @json::jsonb::text from govevents.mt_events where stream_id = @stream", conn);
        cmd.Parameters.AddWithValue("json", json);
        cmd.Parameters.AddWithValue("stream", streamId);
        await using var reader = await cmd.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue($"No event in stream {streamId}.");
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
