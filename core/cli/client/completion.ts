import type { Command, Option } from 'commander';
import { EXIT, UsageError } from './exit.ts';

/** Every command path with its options, from the command tree itself (so completion never drifts). */
function walk(cmd: Command, path: string[] = []): { path: string[]; subs: string[]; opts: string[] }[] {
  const subs = cmd.commands.map((c) => c.name());
  const opts = (cmd.options as Option[]).flatMap((o) => [o.long, o.short].filter((x): x is string => !!x));
  return [{ path, subs, opts: [...opts, '--help'] }, ...cmd.commands.flatMap((c) => walk(c, [...path, c.name()]))];
}

export function bashCompletion(program: Command): string {
  const cases = walk(program)
    .map((n) => `    "${n.path.join(' ')}") words="${[...n.subs, ...n.opts].join(' ')}" ;;`)
    .join('\n');
  return `# netpulse bash completion: eval "$(netpulse completion bash)"
_netpulse() {
  local cur path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "\${path:+$path }$w" in
${walk(program)
  .filter((n) => n.path.length)
  .map((n) => `      "${n.path.join(' ')}") path="${n.path.join(' ')}" ;;`)
  .join('\n')}
    esac
  done
  local words=""
  case "$path" in
${cases}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _netpulse netpulse
`;
}

export function zshCompletion(program: Command): string {
  return `#compdef netpulse
# netpulse zsh completion: eval "$(netpulse completion zsh)" (or save as _netpulse in your fpath)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

export function registerCompletion(program: Command): void {
  program
    .command('completion <shell>')
    .description('Print a shell completion script (bash or zsh): eval "$(netpulse completion bash)"')
    .action((shell: string) => {
      if (shell === 'bash') process.stdout.write(bashCompletion(program));
      else if (shell === 'zsh') process.stdout.write(zshCompletion(program));
      else {
        process.stderr.write(
          `netpulse completion: ${new UsageError(`unknown shell "${shell}" (bash, zsh)`).message}\n`,
        );
        process.exitCode = EXIT.USAGE;
      }
    });
}
