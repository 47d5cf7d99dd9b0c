using System.Globalization;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Common;

/// <summary>
/// The list answers of API.md: JSON <c>{ items, total, page, pageSize }</c> (with what the list adds
/// beside, such as <c>groupBy</c>, <c>from</c>, <c>to</c>), or CSV when asked by <c>?format=csv</c> or
/// <c>Accept: text/csv</c>, its columns the items' JSON field names in their order (a nested value
/// as its JSON text).
/// </summary>
public static class Lists
{
    public const int DefaultPageSize = 50, MaxPageSize = 500;
    public const string CsvMediaType = "text/csv";

    /// <summary>The 400s of <c>page</c>, <c>pageSize</c> and <c>format</c>.</summary>
    public static FieldErrors CheckList(this FieldErrors errors, int? page, int? pageSize, string? format) => errors
        .Require(page is null or >= 1, "page", "1 or more.")
        .Require(pageSize is null or (>= 1 and <= MaxPageSize), "pageSize", $"1 to {MaxPageSize}.")
        .Require(format is null or "json" or "csv", "format", "json or csv.");

    /// <summary>CSV when <c>?format=csv</c>, or without <c>format</c> when the Accept header names text/csv.</summary>
    public static bool WantsCsv(HttpContext http, string? format) =>
        format == "csv" || (format is null && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(CsvMediaType, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Answers the page of <paramref name="all"/> asked for (CSV: every row, unless a page was asked for),
    /// with <paramref name="beside"/> next to the list's own fields in JSON.
    /// </summary>
    public static IResult Answer<T>(HttpContext http, IReadOnlyList<T> all, int? page, int? pageSize, string? format,
        IReadOnlyDictionary<string, object?>? beside = null)
    {
        var (p, size) = (page ?? 1, pageSize ?? DefaultPageSize);
        var items = all.Skip((p - 1) * size).Take(size).ToList();
        if (WantsCsv(http, format))
            return Results.Text(Csv(http, page is null && pageSize is null ? all : items), $"{CsvMediaType}; charset=utf-8");
        var body = new Dictionary<string, object?> { ["items"] = items, ["total"] = all.Count, ["page"] = p, ["pageSize"] = size };
        foreach (var (key, value) in beside ?? new Dictionary<string, object?>()) body.TryAdd(key, value);
        return Results.Json(body);
    }

    /// <summary>Rows as CSV: the header is <typeparamref name="T"/>'s JSON field names, each cell the field's JSON value.</summary>
    public static string Csv<T>(HttpContext http, IEnumerable<T> rows)
    {
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var columns = options.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToArray();
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, null, true))
        {
            csv.WriteHeader(columns);
            foreach (var row in rows)
            {
                var json = JsonSerializer.SerializeToElement(row, options);
                csv.WriteRecord([.. columns.Select(column => json.TryGetProperty(column, out var cell) ? Cell(cell) : "")]);
            }
        }
        return text.ToString();
    }

    private static string Cell(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => cell.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => cell.GetRawText(),
    };
}
