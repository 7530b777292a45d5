namespace ControlPanel.Model;

/// <summary>
/// What a list page shows of its rows: those the filter matches (any of the row's texts contains it, ignoring case),
/// sorted on one column, one page at a time. The page keeps its rows; this keeps what the user chose.
/// </summary>
public sealed class ListView<T>(IReadOnlyDictionary<string, Func<T, IComparable?>> columns, Func<T, IEnumerable<string?>> texts,
    string sortBy, bool descending = true, int pageSize = 25)
{
    public string Filter { get; set; } = "";
    public string SortBy { get; private set; } = sortBy;
    public bool Descending { get; private set; } = descending;
    public int Page { get; private set; }
    public int PageSize => pageSize;
    /// <summary>Rows the filter matched at the last <see cref="Show"/>.</summary>
    public int Matching { get; private set; }
    public int Pages => Math.Max(1, (Matching + pageSize - 1) / pageSize);
    public int First => Matching == 0 ? 0 : Page * pageSize + 1;
    public int Last => Math.Min(Matching, (Page + 1) * pageSize);

    /// <summary>A click on a column's heading: sort on it, or turn its order around.</summary>
    public void SortOn(string column)
    {
        if (!columns.ContainsKey(column)) throw new ArgumentException($"no column {column}", nameof(column));
        (SortBy, Descending) = SortBy == column ? (column, !Descending) : (column, false);
        Page = 0;
    }

    public void FilterChanged() => Page = 0;

    public void Next() => Page = Math.Min(Page + 1, Pages - 1);

    public void Previous() => Page = Math.Max(Page - 1, 0);

    public IReadOnlyList<T> Show(IEnumerable<T> rows)
    {
        var filter = Filter.Trim();
        var matching = filter.Length == 0 ? rows : rows.Where(r => texts(r).Any(t => t?.Contains(filter, StringComparison.OrdinalIgnoreCase) == true));
        var key = columns[SortBy];
        var sorted = (Descending ? matching.OrderByDescending(key) : matching.OrderBy(key)).ToList();
        Matching = sorted.Count;
        Page = Math.Clamp(Page, 0, Pages - 1);
        return sorted.Skip(Page * pageSize).Take(pageSize).ToList();
    }

    /// <summary>The heading's aria-sort: what a screen reader says of the column.</summary>
    public string? AriaSort(string column) => column != SortBy ? null : Descending ? "descending" : "ascending";
}
