/** A form's submit button (disabled while it is busy) and, when editing, Cancel. */
export function FormActions({ label, busy, onCancel }: { label: string; busy: boolean; onCancel?: (() => void) | undefined }) {
  return (
    <div class="actions">
      <button type="submit" disabled={busy}>
        {label}
      </button>
      {onCancel && (
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
