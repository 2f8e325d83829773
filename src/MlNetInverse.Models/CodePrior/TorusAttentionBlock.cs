using MlNetInverse.Physics.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MlNetInverse.Models.CodePrior;

/// <summary>
/// One pre-norm transformer block of the <see cref="MaskedCodePrior"/>: self-attention over all cells whose only
/// notion of position is a learned bias per head and per offset on the torus (the unit cell is periodic, so cell
/// (0, 0) is no more special than any other and a shifted grid gets shifted predictions), then an MLP; both branches
/// see the absorption through FiLM (a scale and shift of the normalised input, zero at the start: identity).
/// </summary>
internal sealed class TorusAttentionBlock : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly int _heads;
    [ComponentName(Name = "attention_norm")] private readonly LayerNorm _attentionNorm;
    [ComponentName(Name = "qkv")] private readonly Linear _qkv;
    [ComponentName(Name = "projection")] private readonly Linear _projection;
    [ComponentName(Name = "torus")] private readonly Parameter _torus;
    [ComponentName(Name = "mlp_norm")] private readonly LayerNorm _mlpNorm;
    [ComponentName(Name = "expand")] private readonly Linear _expand;
    [ComponentName(Name = "contract")] private readonly Linear _contract;
    [ComponentName(Name = "film")] private readonly Linear _film;

    public TorusAttentionBlock(int width, int heads, int cells) : base(nameof(TorusAttentionBlock))
    {
        _heads = heads;
        _attentionNorm = nn.LayerNorm(width);
        _qkv = nn.Linear(width, 3L * width);
        _projection = nn.Linear(width, width);
        _torus = new Parameter(zeros(heads, cells));
        _mlpNorm = nn.LayerNorm(width);
        _expand = nn.Linear(width, 4L * width);
        _contract = nn.Linear(4L * width, width);
        _film = nn.Linear(width, 4L * width);
        RegisterComponents();
    }

    /// <summary>Starts the FiLM at identity (after the seeded initialisation, which draws every linear layer).</summary>
    public void ZeroFilm()
    {
        using var noGrad = no_grad();
        _film.weight!.zero_();
        _film.bias!.zero_();
    }

    /// <param name="x">Cells [B, N, W].</param>
    /// <param name="offsets">Torus offset index of every (query, key) pair [N * N] (int64, in [0, N)).</param>
    /// <param name="condition">Absorption embedding [B, W].</param>
    public override Tensor forward(Tensor x, Tensor offsets, Tensor condition)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], n = x.shape[1], w = x.shape[2], d = w / _heads;
        var film = _film.call(condition).unsqueeze(1).chunk(4, -1);
        var h = (_attentionNorm.call(x) * film[0].Plus(1.0)).Plus(film[1]);
        var qkv = _qkv.call(h).view(b, n, 3, _heads, d).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        var bias = _torus.index_select(1, offsets).view(_heads, n, n);
        var attention = q.matmul(k.transpose(-2, -1)).Times(1.0 / Math.Sqrt(d)).Plus(bias).softmax(-1);
        var attended = attention.matmul(v).transpose(1, 2).reshape(b, n, w);
        x = x.Plus(_projection.call(attended));
        h = (_mlpNorm.call(x) * film[2].Plus(1.0)).Plus(film[3]);
        x = x.Plus(_contract.call(nn.functional.gelu(_expand.call(h))));
        return x.MoveToOuterDisposeScope();
    }
}
