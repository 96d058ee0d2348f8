using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Hosting;

namespace Tessera.Server.Features.Widgets;

/// <summary>The Widgets API (reference §2.5, decisions §2.13): <c>/api/widgets</c>, with clone and derive.</summary>
public static class WidgetEndpoints
{
    private const ApiResource Resource = ApiResource.Widgets;

    /// <summary>Tries at new public hashes when a random one is already taken (52 random bits: practically never).</summary>
    private const int GuidAttempts = 3;

    public static readonly IReadOnlyList<string> Actions = ["clone", "derive"];

    public static void MapWidgets(this IEndpointRouteBuilder routes)
    {
        var widgets = routes.MapGroup("/api/widgets").RequireApiAccess(ApiArea.Widgets, Resource).WithTags("Widgets");
        widgets.MapGet("/", ListWidgets).WithSummary("List widgets (derived=false hides derived widgets)");
        widgets.MapPost("/", CreateWidget).WithSummary("Create a widget from a JSON body");
        widgets.MapGet("/{widgetId:int}", GetWidget).WithSummary("Get a widget with its embed code");
        widgets.MapPut("/{widgetId:int}", UpdateWidget).WithSummary("Change the top-level fields sent");
        widgets.MapPost("/{widgetId:int}", CopyWidget).WithSummary("?action=clone copies a widget; ?action=derive makes a child with its own name and filter");
        widgets.MapDelete("/{widgetId:int}", DeleteWidget).WithSummary("Delete a widget without derived children; returns the deleted widget");
    }

    public static async Task<IResult> ListWidgets(
        ApiCaller caller, ApiParameters parameters, HttpRequest request, PublicUrl publicUrl, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        var derived = f.Bool("derived");
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var widgets = db.Widgets.AsNoTracking().Where(w => w.StackId == caller.StackId);
        widgets = derived switch
        {
            false => widgets.Where(w => w.ParentId == null),
            true => widgets.Where(w => w.ParentId != null),
            null => widgets,
        };
        var page = await widgets.OrderBy(w => w.Id).Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        var baseUrl = publicUrl.Base(request);
        return ApiResults.Ok(page.Select(w => WidgetWire.From(w, baseUrl)).ToList());
    }

    public static async Task<IResult> CreateWidget(
        ApiCaller caller, ApiParameters parameters, HttpRequest request, PublicUrl publicUrl, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var widget = new Widget { StackId = caller.StackId, Guid = string.Empty, Name = string.Empty, StyleName = string.Empty, Type = string.Empty, CreatedAt = now, UpdatedAt = now };
        var f = new FieldReader(parameters, Resource);
        var filterId = WidgetInput.Apply(f, widget, isCreate: true);
        await CheckFilterAsync(f, db, caller.StackId, filterId, widget, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        return await InsertAsync(db, widget, publicUrl.Base(request), ct);
    }

    public static async Task<IResult> GetWidget(int widgetId, ApiCaller caller, HttpRequest request, PublicUrl publicUrl, TesseraDbContext db, CancellationToken ct)
    {
        var widget = await FindAsync(db, caller, widgetId, tracked: false, ct);
        return widget is null ? NotFound() : ApiResults.Ok(WidgetWire.From(widget, publicUrl.Base(request)));
    }

    public static async Task<IResult> UpdateWidget(
        int widgetId, ApiCaller caller, ApiParameters parameters, HttpRequest request, PublicUrl publicUrl, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var widget = await FindAsync(db, caller, widgetId, tracked: true, ct);
        if (widget is null)
        {
            return NotFound();
        }

        var f = new FieldReader(parameters, Resource);
        var filterId = WidgetInput.Apply(f, widget, isCreate: false);
        await CheckFilterAsync(f, db, caller.StackId, filterId, widget, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        widget.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        widget.Version++;
        var outcome = await db.TrySaveAsync(ct);
        return outcome == SaveOutcome.Saved
            ? ApiResults.Ok(WidgetWire.From(widget, publicUrl.Base(request)))
            : ApiResults.SaveFailed(Resource, "widget", outcome);
    }

    /// <summary>
    /// <c>POST /api/widgets/{id}?action=clone</c>: a copy of everything (name + " (Clone)", the same
    /// <c>parent_id</c>), then the body's fields as on PUT. <c>?action=derive</c>: a child
    /// (<c>parent_id</c> = the source) that differs only by <c>style.name</c> and <c>filter_id</c>.
    /// </summary>
    public static async Task<IResult> CopyWidget(
        int widgetId, ApiCaller caller, ApiParameters parameters, HttpRequest request, PublicUrl publicUrl, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var action = f.Enum("action", Actions);
        if (action is null)
        {
            if (!f.HasErrors)
            {
                f.AddError("action", "is required: clone or derive", "missing_field");
            }

            return ApiResults.Invalid(f);
        }

        var source = await FindAsync(db, caller, widgetId, tracked: false, ct);
        if (source is null)
        {
            return NotFound();
        }

        var copy = Copy(source, time.GetUtcNow().ToUnixTimeSeconds());
        int? filterId;
        if (action == "clone")
        {
            WidgetInput.Rename(copy, WidgetInput.CloneName(source.Name));
            filterId = WidgetInput.Apply(f, copy, isCreate: false);
        }
        else
        {
            copy.ParentId = source.Id;
            filterId = WidgetInput.ApplyDerive(f, copy);
        }

        await CheckFilterAsync(f, db, caller.StackId, filterId, copy, ct);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        return await InsertAsync(db, copy, publicUrl.Base(request), ct);
    }

    public static async Task<IResult> DeleteWidget(int widgetId, ApiCaller caller, HttpRequest request, PublicUrl publicUrl, TesseraDbContext db, CancellationToken ct)
    {
        var widget = await FindAsync(db, caller, widgetId, tracked: true, ct);
        if (widget is null)
        {
            return NotFound();
        }

        var children = await db.Widgets.Where(w => w.ParentId == widget.Id).OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(ct);
        if (children.Count > 0)
        {
            var noun = children.Count == 1 ? "derived widget" : "derived widgets";
            return ApiResults.Error(Resource, StatusCodes.Status409Conflict, "has_children",
                $"widget {widget.Id} has {children.Count} {noun} ({string.Join(", ", children.Take(10))}{(children.Count > 10 ? ", …" : string.Empty)}); delete them first");
        }

        db.Widgets.Remove(widget);
        var outcome = await db.TrySaveAsync(ct);
        return outcome == SaveOutcome.Saved
            ? ApiResults.Ok(WidgetWire.From(widget, publicUrl.Base(request)))
            : ApiResults.SaveFailed(Resource, "widget", outcome);
    }

    /// <summary>A filter id sent must name a filter of the caller's stack; it then becomes the widget's.</summary>
    private static async Task CheckFilterAsync(FieldReader f, TesseraDbContext db, int stackId, int? filterId, Widget widget, CancellationToken ct)
    {
        if (filterId is not { } id)
        {
            return;
        }

        if (!await db.Filters.AnyAsync(x => x.StackId == stackId && x.Id == id, ct))
        {
            f.AddError("filter_id", $"no filter {id} in this stack", "filter_not_found");
            return;
        }

        widget.FilterId = id;
    }

    /// <summary>Inserts a new widget under a fresh public hash; another hash is drawn if one is taken.</summary>
    private static async Task<IResult> InsertAsync(TesseraDbContext db, Widget widget, string baseUrl, CancellationToken ct)
    {
        db.Widgets.Add(widget);
        for (var attempt = 1; ; attempt++)
        {
            widget.Guid = NewGuid();
            var outcome = await db.TrySaveAsync(ct);
            if (outcome == SaveOutcome.Saved)
            {
                return ApiResults.Ok(WidgetWire.From(widget, baseUrl));
            }

            if (outcome != SaveOutcome.Duplicate || attempt == GuidAttempts)
            {
                return ApiResults.SaveFailed(Resource, "widget", outcome);
            }
        }
    }

    /// <summary>A public hash: 13 lowercase hex characters, like the PHP <c>uniqid</c> values Stackla hands out, but random.</summary>
    public static string NewGuid() => RandomNumberGenerator.GetHexString(13, lowercase: true);

    private static Widget Copy(Widget source, long now) => new()
    {
        StackId = source.StackId,
        Guid = string.Empty,
        Name = source.Name,
        StyleName = source.StyleName,
        Type = source.Type,
        FilterId = source.FilterId,
        ParentId = source.ParentId,
        Enabled = source.Enabled,
        Style = source.Style,
        Config = source.Config,
        CustomCss = source.CustomCss,
        LightboxCustomCss = source.LightboxCustomCss,
        CustomJs = source.CustomJs,
        LightboxCustomJs = source.LightboxCustomJs,
        ExternalJs = source.ExternalJs,
        Extra = source.Extra,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static Task<Widget?> FindAsync(TesseraDbContext db, ApiCaller caller, int widgetId, bool tracked, CancellationToken ct)
    {
        var widgets = tracked ? db.Widgets : db.Widgets.AsNoTracking();
        return widgets.FirstOrDefaultAsync(x => x.StackId == caller.StackId && x.Id == widgetId, ct);
    }

    private static IResult NotFound() => ApiResults.NotFound(Resource, "widget");
}
